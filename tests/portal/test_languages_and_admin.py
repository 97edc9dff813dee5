"""Every person reads Rebond in their language (languages named in themselves, no raw codes in English), and
staff read the admin in French (no English field names, no True/False, no cents)."""

import re

import pytest
from django.urls import reverse
from django.utils.functional import Promise
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from inventory.enums import DeviceType
from inventory.models import Device
from reuse.backoffice import ModelViewSet as ProjectModelViewSet
from tests.claims.helpers import join

pytestmark = pytest.mark.django_db


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_the_language_switch_names_each_language_in_itself(client, demo):
    for _language in ("fr", "en"):
        html = client.get("/").content.decode()
        switch = html[html.index('id="language-select"') : html.index("</select>")]
        assert re.search(r'lang="fr"[^>]*>Français<', switch) and re.search(
            r'lang="en"[^>]*>English<', switch
        )
        assert "Anglais" not in switch and "French" not in switch
        english(client)


def test_impact_method_names_are_in_the_readers_language(client, demo):
    english(client)
    html = client.get("/dons/impact/").content.decode()
    assert "ADEME / Arcep 2022: manufacturing footprint of a new device avoided" in html
    assert "empreinte de fabrication" not in html


def test_device_types_are_words_in_the_waitlist_and_the_manifest_table(client, demo):
    from reuse.accounts.demo import demo_user

    household = demo_user("beneficiaire@example.org")
    join(household)
    client.force_login(household)
    english(client)
    waitlist = client.get("/demandes/liste-attente/").content.decode()
    assert "Laptop" in waitlist and ": laptop" not in waitlist

    from donations.models import Lot

    lot = Lot.objects.filter(workshop__isnull=False, items__isnull=False).distinct().first()
    client.force_login(demo_user("atelier@example.org"))
    english(client)
    manifest = client.get(f"/dons/atelier/lots/{lot.pk}/").content.decode()
    cells = re.findall(r'<td data-label="Type">([^<]*)</td>', manifest)
    assert cells and not set(cells) & set(DeviceType.values)


def admin_viewsets():
    import reuse.urls  # noqa: F401 - the admin's URLs register the viewsets

    def walk(items):
        for item in items:
            children = getattr(item, "items", None)
            if children and not isinstance(item, ModelViewSet):
                yield from walk([child() if isinstance(child, type) else child for child in children])
            elif isinstance(item, ModelViewSet):
                yield item

    # The project's viewsets of its own models (Wagtail's users and API tokens screens are Wagtail's).
    apps = {"accounts", "claims", "eligibility", "donations", "inventory", "cms"}
    packages = {"reuse", "donations", "inventory", "cms"}
    return [
        viewset
        for viewset in walk(viewsets.viewsets)
        if viewset.model._meta.app_label in apps and type(viewset).__module__.split(".")[0] in packages
    ]


def test_every_field_the_admin_shows_has_a_french_name_and_every_listing_reads_it(db):
    found = admin_viewsets()
    assert len(found) > 10
    for viewset in found:
        assert isinstance(viewset, ProjectModelViewSet), f"{viewset} shows raw True/False and cents"
        for field in viewset.model._meta.concrete_fields:
            if field.name != "id":
                assert isinstance(field.verbose_name, Promise), f"{viewset.model.__name__}.{field.name}"


def test_admin_listings_show_oui_non_and_euros(client, demo):
    from reuse.accounts.demo import demo_user

    client.force_login(demo_user("hub@example.org"))
    for name in (
        "claims_claim:index",
        "claims_voucher:index",
        "devices:index",
        "erasures:index",
        "workshops:index",
    ):
        html = client.get(reverse(name)).content.decode()
        table = html[html.index("<table") : html.index("</table>")]
        assert not re.search(r">\s*(True|False)\s*<", table), name
        for english_label in ("Created", "Claim", "Device", "Funder", "Voucher cents", "Price cents"):
            assert f">{english_label}<" not in table, (name, english_label)
    vouchers = client.get(reverse("claims_voucher:index")).content.decode()
    assert re.search(r"\d+,\d\d\xa0€", vouchers)
    device = Device.objects.filter(price_cents__gt=0).first()
    edit = client.get(reverse("devices:edit", args=[device.pk])).content.decode()
    assert f'value="{device.price_cents // 100},{device.price_cents % 100:02d}"' in edit


def test_our_rich_text_editors_carry_the_name_of_their_block():
    from cms.blocks import SafeRichTextBlock
    from cms.blocks.faq import QuestionBlock

    assert str(SafeRichTextBlock(label="texte").field.widget.options["ariaLabel"]) == "texte"
    answer = QuestionBlock().child_blocks["answer"]
    assert str(answer.field.widget.options["ariaLabel"]) == "réponse"


def test_every_seeded_page_passes_the_admins_own_validation(demo):
    from wagtail.fields import StreamField
    from wagtail.models import Page

    for page in Page.objects.live().filter(depth__gt=1).specific():
        for field in page._meta.fields:
            if isinstance(field, StreamField):
                field.stream_block.clean(getattr(page, field.name))


def test_the_demo_runs_each_phone_and_tablet_on_its_own_system(demo):
    for brand, system in Device.objects.exclude(os="").values_list("brand", "os").distinct():
        if brand == "Apple":
            assert system.startswith(("iOS", "iPadOS", "macOS")), (brand, system)
        else:
            assert not system.startswith(("iOS", "iPadOS")), (brand, system)


def test_staff_edit_a_workshops_opening_hours_as_days_and_hours(client, demo):
    from inventory.models import WorkshopProfile
    from reuse.accounts.demo import demo_user

    profile = WorkshopProfile.objects.exclude(opening_hours="").first()
    client.force_login(demo_user("hub@example.org"))
    form = client.get(reverse("workshops:edit", args=[profile.pk])).content.decode()
    assert 'name="opening_hours_0"' in form and 'type="time"' in form
    data = {
        "service_departments": '["93"]',
        "monthly_capacity": "100",
        "opening_hours_0": ["Tu", "We", "Th"],
        "opening_hours_1": "10:00",
        "opening_hours_2": "18:00",
        "weee_partner": "",
        "latitude": "",
        "longitude": "",
    }
    response = client.post(reverse("workshops:edit", args=[profile.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    assert profile.opening_hours == "Tu-Th 10:00-18:00"
    # Free text kept from before hours were checked is shown, to be typed again, never silently dropped.
    WorkshopProfile.objects.filter(pk=profile.pk).update(opening_hours="le matin")
    form = client.get(reverse("workshops:edit", args=[profile.pk])).content.decode()
    assert "Horaires enregistrés mais illisibles : « le matin »" in form
