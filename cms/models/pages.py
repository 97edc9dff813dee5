"""The portal's page types and their tree: home at the root of each language, everything else under it."""

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms import programmes, workshops
from cms.blocks import (
    AudienceSectionBlock,
    ContentStreamBlock,
    EntryPointBlock,
    FaqSectionBlock,
    check_alt,
)
from inventory.opening_hours import opening_hours_of
from reuse.fields import NameField, NoteField, visible_lines, visible_text, weak_link
from reuse.programmes.services import covered_departments

DEPARTMENT_PATTERN = r"(?P<department>\d{2,3}|2[AB])"


class PortalPage(Page):
    """Shared behaviour: an intro used as the meta description when the editor wrote none. Each page type renders
    Wagtail's default template, cms/<type in snake case>.html (HowItWorksPage: cms/how_it_works_page.html)."""

    intro = NoteField(_("introduction"), blank=True)

    search_fields = Page.search_fields + [index.SearchField("intro")]
    # The intro right under the title, then the page type's own fields.
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    def _sanitise_streams(self):
        """Turn every StreamField child into its Python value, so that saving writes it back through the
        blocks' get_prep_value (rich text passes the whitelist); untouched raw data would be stored as is.
        Block ids are kept (comments and revision comparisons rely on them)."""
        for field in self._meta.get_fields():
            if isinstance(field, StreamField):
                stream = getattr(self, field.name)
                for index in range(len(stream)):
                    stream[index]

    def full_clean(self, *args, **kwargs):
        """Wagtail's own fields a reader sees (the title in menus, lists, the browser tab and search results; the
        search description) are Page's, not ours: made visible here, which every save and revision runs
        (Wagtail's Page.save and save_revision clean first), as `NameField` and `NoteField` do for ours."""
        self.title, self.draft_title, self.seo_title = map(
            visible_text, (self.title, self.draft_title, self.seo_title)
        )
        self.search_description = visible_lines(self.search_description)
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        self._sanitise_streams()
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        self._sanitise_streams()
        return super().save_revision(*args, **kwargs)


class HomeSectionPage(PortalPage):
    """A section of the portal right under a home, at most once per home, with no pages below it unless it says
    so (the news list holds the news)."""

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        abstract = True


class HomePage(PortalPage):
    """What Rebond is and one entry per audience: donate, run a workshop, get a device."""

    entry_points = StreamField(
        [("entry_point", EntryPointBlock())],
        blank=True,
        max_num=4,  # one per audience that signs up: donor, workshop, household, association
        verbose_name=_("points d’entrée"),
    )
    body = StreamField(ContentStreamBlock, blank=True, verbose_name=_("contenu"))

    content_panels = PortalPage.content_panels + [FieldPanel("entry_points"), FieldPanel("body")]
    # The root holds one home per language (Wagtail locales).
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.HowItWorksPage",
        "cms.EligibilityPage",
        "cms.FaqPage",
        "cms.NewsIndexPage",
        "cms.WorkshopDirectoryPage",
    ]

    class Meta:
        verbose_name = _("page d’accueil")


class StandardPage(PortalPage):
    """A plain content page: legal notices, accessibility statement, about."""

    body = StreamField(ContentStreamBlock, blank=True, verbose_name=_("contenu"))

    content_panels = PortalPage.content_panels + [FieldPanel("body")]
    search_fields = PortalPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]

    class Meta:
        verbose_name = _("page de contenu")


class HowItWorksPage(HomeSectionPage):
    sections = StreamField(
        [("audience", AudienceSectionBlock())], blank=True, verbose_name=_("sections par public")
    )
    body = StreamField(ContentStreamBlock, blank=True, verbose_name=_("contenu"))

    content_panels = PortalPage.content_panels + [FieldPanel("sections"), FieldPanel("body")]

    class Meta:
        verbose_name = _("page « comment ça marche »")


class EligibilityPage(HomeSectionPage):
    """Renders the live rules of the programme covering the department the visitor picks (GET, no JS)."""

    default_department = models.CharField(
        _("département affiché par défaut"),
        max_length=3,
        blank=True,
        help_text=_("Code du département montré avant tout choix, ex. 93."),
    )
    body = StreamField(ContentStreamBlock, blank=True, verbose_name=_("contenu après les règles"))

    content_panels = PortalPage.content_panels + [FieldPanel("default_department"), FieldPanel("body")]

    class Meta:
        verbose_name = _("page d’éligibilité")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        departments = covered_departments()
        asked = request.GET.get("departement", "").strip().upper()
        department = asked or self.default_department or (departments[0] if departments else "")
        context.update(
            departments=departments,
            department=department,
            department_unknown=bool(asked) and asked not in departments,
            rules=programmes.rules_for_department(department) if department in departments else None,
        )
        return context


class FaqPage(HomeSectionPage):
    sections = StreamField([("section", FaqSectionBlock())], blank=True, verbose_name=_("questions"))

    content_panels = PortalPage.content_panels + [FieldPanel("sections")]
    search_fields = PortalPage.search_fields + [index.SearchField("sections")]

    class Meta:
        verbose_name = _("foire aux questions")


class NewsIndexPage(HomeSectionPage):
    per_page = 10

    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("liste des actualités")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        paginator = Paginator(articles, self.per_page)
        try:
            page_of_articles = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page_of_articles = paginator.page(1)
        context["articles"] = page_of_articles
        return context


class NewsPage(PortalPage):
    date = models.DateField(_("date de publication"), default=timezone.localdate)
    image = weak_link(_("image"), "wagtailimages.Image")
    image_alt = NameField(
        _("texte alternatif de l’image"),
        max_length=200,
        blank=True,
        help_text=_("Ce que l’image apprend à qui ne la voit pas, en une phrase."),
    )
    image_decorative = models.BooleanField(
        _("Image décorative"),
        default=False,
        help_text=_(
            "Cochez si l’image n’apporte aucune information : elle sera ignorée des lecteurs d’écran."
        ),
    )
    body = StreamField(ContentStreamBlock, blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldPanel("image_decorative"),
        FieldPanel("body"),
    ]
    search_fields = PortalPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("actualité")

    @property
    def image_alternative(self) -> str:
        return "" if self.image_decorative else self.image_alt

    def clean(self):
        super().clean()
        if self.image_id:
            try:
                check_alt(self.image_alt, self.image_decorative)
            except ValidationError as refused:
                raise ValidationError({"image_alt": refused}) from None


class WorkshopDirectoryPage(RoutablePageMixin, HomeSectionPage):
    """Approved workshops, all of them and per department (departement/93/), from the workshops' own data."""

    class Meta:
        verbose_name = _("annuaire des ateliers")

    def _entries(self, organisations):
        return [
            {
                "organisation": organisation,
                "profile": workshops.profile_of(organisation),
                "hours": opening_hours_of(organisation),
                "services": workshops.services_of(organisation),
            }
            for organisation in organisations
        ]

    @path("")
    def all_workshops(self, request):
        return self.render(
            request,
            context_overrides={
                "entries": self._entries(workshops.approved_workshops()),
                "departments": workshops.departments_with_workshops(),
                "department": "",
            },
        )

    @re_path(rf"^departement/{DEPARTMENT_PATTERN}/$")
    def by_department(self, request, department):
        if department not in workshops.departments_with_workshops():
            raise Http404
        return self.render(
            request,
            context_overrides={
                "entries": self._entries(workshops.workshops_in_department(department)),
                "departments": workshops.departments_with_workshops(),
                "department": department,
            },
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if base:
            for department in workshops.departments_with_workshops():
                urls.append(
                    {"location": f"{base}departement/{department}/", "lastmod": self.last_published_at}
                )
        return urls
