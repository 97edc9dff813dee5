"""The questionnaire's answers while it is under way, kept on the household's account a bounded time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireDraft(models.Model):
    """What a household answered so far (the aids it ticked, its quotient familial, how it will prove it) and the
    questions it went through, so that a session that ends mid-way loses nothing. Never a document, an identity
    nor anything typed on the last screen; deleted when the questionnaire ends, on « Recommencer », with the
    account, and by the nightly purge once `updated` is older than the questionnaire's DRAFT_DAYS."""

    household = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("foyer")
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+", verbose_name=_("programme")
    )
    answers = models.JSONField(_("réponses"), default=dict)
    path = models.JSONField(_("questions posées"), default=list)
    updated = models.DateTimeField(_("mis à jour le"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("questionnaire en cours")
        verbose_name_plural = _("questionnaires en cours")

    def __str__(self):
        return f"Questionnaire en cours de {self.household}"
