"""The portal's demo: the page tree in French and English, site settings and navigation. Idempotent:
a page that already exists is left as the editors made it."""

import datetime
import io
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site

from cms.demo_content import home_texts, page_texts, rt
from cms.groups import sync_group_permissions
from cms.models import (
    EligibilityPage,
    FaqPage,
    HomePage,
    HowItWorksPage,
    NavigationSettings,
    NewsIndexPage,
    NewsPage,
    SiteSettings,
    StandardPage,
    WorkshopDirectoryPage,
)
from inventory.enums import LegalStatus
from inventory.models import WorkshopProfile
from reuse.accounts.demo import demo_organisation
from reuse.eligibility.enums import Criterion, Evidence
from reuse.programmes.models import Programme, ProgrammePrice

ORDER = 50
LANGUAGES = ("fr", "en")

# Shown on the eligibility page when no other app's demo has created a programme.
DEMO_PROGRAMME = dict(
    name="Programme Plaine Commune et Val-d’Oise",
    departments=["93", "95"],
    starts_on=datetime.date(2026, 1, 1),
    criteria=list(Criterion.values),
    quotient_familial_max_eur=700,
    accepted_evidence=list(Evidence.values),
    household_cap_devices=1,
    household_cap_months=24,
    association_cap_per_year=10,
    hold_hours=48,
)
DEMO_PRICES = [
    ("laptop", "A", 6000, 12000),
    ("laptop", "B", 3000, 9000),
    ("laptop", "C", 0, 5000),
    ("desktop", "B", 2000, 6000),
    ("tablet", "B", 2000, 6000),
    ("smartphone", "A", 3000, 8000),
    ("smartphone", "B", 1500, 6000),
    ("smartphone", "C", 0, 3000),
    ("monitor", "B", 0, 2000),
    ("other", "B", 0, 1000),
]


def _rich(html: str) -> list[dict]:
    return [{"type": "paragraph", "value": html}]


def _publish(page):
    page.save_revision().publish()
    return page


def ensure_home(locale) -> HomePage:
    """The French home, recreated with its root and site if the database was emptied."""
    home = HomePage.objects.filter(locale=locale).first()
    if home is None:
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locale)
        )
        home = root.add_child(
            instance=HomePage(title=home_texts.HOME["fr"]["title"], slug="accueil", locale=locale)
        )
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True, site_name="Rebond")
    site.root_page = home
    if site.pk is None or (site.hostname, site.port) == ("localhost", 80):
        # Sitemap addresses follow the site's host: the demo's is the address it is served on.
        public = urlsplit(django_settings.PUBLIC_BASE_URL)
        site.hostname = public.hostname or "localhost"
        site.port = public.port or (443 if public.scheme == "https" else 80)
    site.save()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return home


def child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        _publish(page)
    return page


def entry_points(language: str, eligibility_page) -> list[dict]:
    return [
        {
            "type": "entry_point",
            "value": {
                "audience": audience,
                "title": title,
                "text": text,
                "link_label": label,
                "page": eligibility_page.pk if target == "eligibility" else None,
                "link_url": "" if target == "eligibility" else target,
            },
        }
        for audience, title, text, label, target in home_texts.HOME[language]["entry_points"]
    ]


def how_it_works_sections(language: str) -> list[dict]:
    return [
        {
            "type": "audience",
            "value": {
                "audience": audience,
                "title": title,
                "steps": [{"title": step, "text": text} for step, text in steps],
                "call_to_action": [],
            },
        }
        for audience, title, steps in home_texts.HOW_IT_WORKS[language]["sections"]
    ]


def faq_sections(language: str) -> list[dict]:
    return [
        {
            "type": "section",
            "value": {
                "title": title,
                "questions": [{"question": q, "answer": rt(a)} for q, a in questions],
            },
        }
        for title, questions in page_texts.FAQ[language]["sections"]
    ]


def demo_image():
    Image = get_image_model()
    existing = Image.objects.filter(title="Atelier Rebond (illustration)").first()
    if existing:
        return existing
    picture = PillowImage.new("RGB", (1200, 675), (11, 92, 71))
    draw = ImageDraw.Draw(picture)
    for index in range(6):
        left = 120 + index * 170
        draw.rectangle([left, 260, left + 130, 380], fill=(243, 245, 244))
        draw.rectangle([left - 15, 380, left + 145, 395], fill=(200, 207, 204))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title="Atelier Rebond (illustration)", file=ImageFile(buffer, name="atelier-rebond.png")
    )


def page_fields(language: str) -> dict[str, dict]:
    """The fields of every page in one language, keyed as in cms.demo_content."""
    return {
        "how_it_works": {
            "title": home_texts.HOW_IT_WORKS[language]["title"],
            "intro": home_texts.HOW_IT_WORKS[language]["intro"],
            "sections": how_it_works_sections(language),
        },
        "eligibility": {
            "title": page_texts.ELIGIBILITY[language]["title"],
            "intro": page_texts.ELIGIBILITY[language]["intro"],
            "default_department": "93",
            "body": _rich(page_texts.ELIGIBILITY[language]["body"]),
        },
        "faq": {
            "title": page_texts.FAQ[language]["title"],
            "intro": page_texts.FAQ[language]["intro"],
            "sections": faq_sections(language),
        },
        "news": dict(page_texts.NEWS_INDEX[language]),
        "directory": dict(page_texts.DIRECTORY[language]),
        "legal": {
            "title": page_texts.LEGAL[language]["title"],
            "intro": page_texts.LEGAL[language]["intro"],
            "body": _rich(page_texts.LEGAL[language]["body"]),
        },
        "accessibility": {
            "title": page_texts.ACCESSIBILITY[language]["title"],
            "intro": page_texts.ACCESSIBILITY[language]["intro"],
            "body": _rich(page_texts.ACCESSIBILITY[language]["body"]),
        },
    }


SLUGS = {
    "how_it_works": (HowItWorksPage, "comment-ca-marche"),
    # /eligibilite/ belongs to the eligibility app's questionnaire; the rules page lives beside it.
    "eligibility": (EligibilityPage, "conditions-eligibilite"),
    "faq": (FaqPage, "questions-frequentes"),
    "news": (NewsIndexPage, "actualites"),
    "directory": (WorkshopDirectoryPage, "ateliers"),
    "legal": (StandardPage, "mentions-legales"),
    "accessibility": (StandardPage, "accessibilite"),
}


def translate(page, locale, **fields):
    """The page's English version (Wagtail locales), created once and published with English fields."""
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation
    translation = page.copy_for_translation(locale)
    translation = translation.specific
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.draft_title = translation.title
    return _publish(translation)


def seed_programme(stdout):
    if Programme.objects.exists():
        return
    programme = Programme.objects.create(**DEMO_PROGRAMME)
    for device_type, grade, low, high in DEMO_PRICES:
        ProgrammePrice.objects.create(
            programme=programme, device_type=device_type, grade=grade, min_cents=low, max_cents=high
        )
    stdout.write(f"  programme de démonstration : {programme.name}")


def seed_workshop_profile():
    WorkshopProfile.objects.get_or_create(
        organisation=demo_organisation("workshop"),
        defaults={
            "service_departments": ["93", "95"],
            "monthly_capacity": 150,
            "opening_hours": "Mo-Fr 09:30-12:30,14:00-18:00; Sa 10:00-13:00",
            "may_issue_tax_receipts": True,
            "legal_status": LegalStatus.ASSOCIATION_IG,
            "weee_partner": "ecosystem",
            "latitude": "48.93564",
            "longitude": "2.35387",
        },
    )


def seed_settings(site, pages):
    settings = SiteSettings.for_site(site)
    if not settings.contact_email:
        settings.operator_name = "Rebond"
        settings.contact_email = "contact@rebond.example"
        settings.contact_phone = "01 84 00 00 00"
        settings.contact_address = "10 rue de la Solidarité, 75011 Paris"
        settings.publication_director = "Camille Martin"
        settings.host = "Hébergeur de démonstration, 1 rue du Serveur, 93200 Saint-Denis"
        settings.legal_notices_page = pages["legal"]
        settings.accessibility_page = pages["accessibility"]
        settings.social_links = [
            {"type": "link", "value": {"network": "Mastodon", "url": "https://social.example/@rebond"}}
        ]
        settings.banner_active = True
        settings.banner_text = "Nouveau : les chèques numériques sont acceptés dans les ateliers du réseau."
        settings.banner_text_en = "New: digital vouchers are accepted in the network’s workshops."
        settings.banner_link = pages["news"].url
        settings.save()
    navigation = NavigationSettings.for_site(site)
    if not navigation.header_links:

        def links(rows):
            return [
                {
                    "type": "link",
                    "value": {
                        "label": label,
                        "label_en": label_en,
                        "page": pages[target].pk if target in pages else None,
                        "url": "" if target in pages else target,
                    },
                }
                for label, label_en, target in rows
            ]

        navigation.header_links = links(page_texts.NAVIGATION)
        navigation.footer_links = links(page_texts.FOOTER)
        navigation.save()


@transaction.atomic
def seed(*, stdout, devices: int = 0) -> None:
    french, _ = Locale.objects.get_or_create(language_code="fr")
    english, _ = Locale.objects.get_or_create(language_code="en")
    seed_programme(stdout)
    seed_workshop_profile()

    home = ensure_home(french)
    fields = page_fields("fr")
    pages = {key: child(home, model, slug, **fields[key]) for key, (model, slug) in SLUGS.items()}
    image = demo_image()
    articles = []
    for article in page_texts.ARTICLES:
        data = article["fr"]
        articles.append(
            child(
                pages["news"],
                NewsPage,
                article["slug"],
                title=data["title"],
                intro=data["intro"],
                date=datetime.date.fromisoformat(article["date"]),
                image=image if article["image"] else None,
                image_alt="",
                image_decorative=True,
                body=_rich(data["body"]),
            )
        )
    if not home.entry_points:
        home.title = home_texts.HOME["fr"]["title"]
        home.intro = home_texts.HOME["fr"]["intro"]
        home.entry_points = entry_points("fr", pages["eligibility"])
        home.body = _rich(home_texts.HOME["fr"]["body"])
        _publish(home)

    translate(
        home,
        english,
        title=home_texts.HOME["en"]["title"],
        intro=home_texts.HOME["en"]["intro"],
        entry_points=entry_points("en", pages["eligibility"]),
        body=_rich(home_texts.HOME["en"]["body"]),
    )
    english_fields = page_fields("en")
    for key, page in pages.items():
        translate(page, english, **english_fields[key])
    for article, page in zip(page_texts.ARTICLES, articles, strict=True):
        data = article["en"]
        translate(page, english, title=data["title"], intro=data["intro"], body=_rich(data["body"]))

    seed_settings(Site.objects.get(is_default_site=True), pages)
    # Page and collection permissions hang on the tree's root: resync in case the tree was just rebuilt.
    sync_group_permissions()
    stdout.write(
        f"  portail : {Page.objects.live().filter(depth__gt=1).count()} pages publiées (français et anglais)"
    )
