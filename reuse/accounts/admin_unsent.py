"""« Tâches en attente »: the tasks the broker refused (accounts.UnsentTask), for staff on call. Each row says
which task, since when it waits, how often the sweep tried it and the broker's last answer; never its arguments,
which may name a person. Reading them takes `view_unsenttask`; « Renvoyer maintenant » (queue one again here and
now, with the due time it was given) takes `resend_unsenttask`."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reuse.accounts import unsent
from reuse.accounts.models import UnsentTask
from reuse.admin_actions import ConfirmObjectActionView
from reuse.backoffice import ObjectAction, ReadOnlyPolicy, listing, register_policy

# Rows written by reuse.celery.keep_unsent and removed by the sweep: never added, changed nor deleted by hand.
register_policy(ReadOnlyPolicy, UnsentTask)


class ResendUnsentTaskView(ConfirmObjectActionView):
    permission_required = "resend"
    template_name = "accounts/admin/resend_unsent_task.html"
    page_title = gettext_lazy("Renvoyer une tâche en attente")
    object_context_name = "unsent"

    def act(self, request):
        if unsent.send_again(self.object.pk):
            return _("La tâche %(task)s est envoyée au courtier.") % {"task": self.object.task}
        return _("La tâche %(task)s était déjà renvoyée.") % {"task": self.object.task}


UNSENT_TASKS = listing(
    (UnsentTask, "unsent-tasks", "time", gettext_lazy("Tâches en attente")),
    menu_order=911,
    add_to_settings_menu=True,
    list_display=["task", "waiting_since", "attempts", "last_error", "eta"],
    list_filter=["task"],
    search_fields=["task"],
    form_fields=[],
    object_actions=(
        ObjectAction(
            "resend", gettext_lazy("Renvoyer maintenant"), "rotate", ResendUnsentTaskView, priority=5
        ),
    ),
)
