"""Site settings edited by the hub team in the admin: contact, legal, accessibility, social links, banner, menus."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from cms.blocks import NavigationLinkBlock
from cms.sanitize import check_link_address
from reuse.fields import NameField, weak_link


class RgaaStatus(models.TextChoices):
    FULL = "full", _("totalement conforme")
    PARTIAL = "partial", _("partiellement conforme")
    NONE = "none", _("non conforme")


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.CharBlock(label=_("réseau"), max_length=40)
    url = blocks.URLBlock(label=_("adresse"))

    class Meta:
        icon = "site"
        label = _("réseau social")


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    operator_name = NameField(_("nom de l’opérateur"), max_length=150, default="Rebond")
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    contact_address = NameField(_("adresse postale"), max_length=255, blank=True)
    publication_director = NameField(
        _("directeur ou directrice de la publication"), max_length=150, blank=True
    )
    host = NameField(_("hébergeur (nom et adresse)"), max_length=255, blank=True)
    legal_notices_page = weak_link(_("page des mentions légales"), "wagtailcore.Page")
    accessibility_page = weak_link(_("page de la déclaration d’accessibilité"), "wagtailcore.Page")
    rgaa_status = models.CharField(
        _("conformité RGAA"), max_length=10, choices=RgaaStatus.choices, default=RgaaStatus.PARTIAL
    )
    social_links = StreamField([("link", SocialLinkBlock())], blank=True, verbose_name=_("réseaux sociaux"))
    banner_active = models.BooleanField(_("afficher le bandeau d’annonce"), default=False)
    banner_text = NameField(_("texte du bandeau"), max_length=250, blank=True)
    banner_text_en = NameField(_("texte du bandeau en anglais"), max_length=250, blank=True)
    banner_link = models.CharField(_("lien du bandeau"), max_length=200, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("operator_name"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("publication_director"),
                FieldPanel("host"),
                FieldPanel("legal_notices_page"),
                FieldPanel("accessibility_page"),
                FieldPanel("rgaa_status"),
            ],
            heading=_("Mentions légales et accessibilité"),
        ),
        FieldPanel("social_links"),
        MultiFieldPanel(
            [
                FieldPanel("banner_active"),
                FieldPanel("banner_text"),
                FieldPanel("banner_text_en"),
                FieldPanel("banner_link"),
            ],
            heading=_("Bandeau d’annonce"),
        ),
    ]

    class Meta:
        verbose_name = _("réglages du site")

    def clean(self):
        super().clean()
        try:
            check_link_address(self.banner_link)
        except ValidationError as refused:
            raise ValidationError({"banner_link": refused}) from None

    def banner_for(self, language_code: str) -> str:
        if not self.banner_active:
            return ""
        if language_code == "en" and self.banner_text_en:
            return self.banner_text_en
        return self.banner_text


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    header_links = StreamField(
        [("link", NavigationLinkBlock())], blank=True, verbose_name=_("navigation principale")
    )
    footer_links = StreamField(
        [("link", NavigationLinkBlock())], blank=True, verbose_name=_("liens de pied de page")
    )

    panels = [FieldPanel("header_links"), FieldPanel("footer_links")]

    class Meta:
        verbose_name = _("navigation")
