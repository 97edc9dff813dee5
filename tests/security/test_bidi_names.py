"""A name typed with Unicode's bidirectional controls (« Atelier\u202e lanoitan\u202c » shows as « Atelier
national ») or other invisible format characters reaches staff lists, exports, PDFs and email subjects reversed
or disguised. Whatever writes it (a site form, the API, the Wagtail admin, `QuerySet.update`), it is stored
without them; Arabic and Hebrew letters are kept. The same holds for every other free text people read (titles,
labels, notes: `test_every_free_text_people_read_is_visible` lists the few left as typed, and why); notes of
several lines keep their lines."""

import unicodedata

import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from cms.models import StandardPage
from donations.models import Lot
from inventory.models import Device
from reuse.accounts.models import Organisation, User
from reuse.accounts.wagtail_hooks import ORGANISATION_FORM_FIELDS
from reuse.claims.models import VoucherFunder
from reuse.fields import VISIBLE_FIELDS, clean_stored_names, visible_lines, visible_text
from reuse.programmes.models import Programme
from reuse.serials import SerialField
from tests.donations.test_lots import LOT
from tests.factories.accounts import OrganisationFactory
from tests.factories.claims import VoucherFunderFactory
from tests.factories.donations import donor_with_member
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import admin_form
from tests.test_signups import DONOR, JUST_LONG_ENOUGH

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
REVERSED = "Atelier\u202e lanoitan\u202c"
INVISIBLE = "Lé\u200ba\u2060\ufeff"


@pytest.mark.django_db
def test_a_sign_up_form_stores_names_without_bidirectional_controls(client):
    response = client.post(
        reverse("donations:register"),
        {
            **DONOR,
            "password": JUST_LONG_ENOUGH,
            "first_name": INVISIBLE,
            "last_name": "\u2067مريم\u2069",
            "name": REVERSED,
            "city": "Pa\u200eris",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email=DONOR["email"])
    assert (user.first_name, user.last_name) == ("Léa", "مريم")
    assert Organisation.objects.values_list("name", "city").get() == ("Atelier lanoitan", "Paris")


@pytest.mark.django_db
def test_the_api_stores_a_lots_title_without_bidirectional_controls(api_client, client):
    _donor, user = donor_with_member()
    client.force_login(user)
    response = api_client.post(
        "/api/v1/lots", {**LOT, "title": "Portables\u202e fdp.exe", "contact_name": INVISIBLE}
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Portables fdp.exe"
    assert Lot.objects.values_list("title", "contact_name").get() == ("Portables fdp.exe", "Léa")


@pytest.mark.django_db
def test_the_admin_stores_an_organisations_name_without_bidirectional_controls(staff):
    organisation = OrganisationFactory(donor=True)
    form = {name: getattr(organisation, name) or "" for name in ORGANISATION_FORM_FIELDS}
    response = staff.post(
        reverse("organisations:edit", args=[organisation.pk]),
        {**form, "name": REVERSED, "city": "Pa\u202eris"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.city) == ("Atelier lanoitan", "Paris")


@pytest.mark.django_db
def test_a_bulk_update_stores_names_without_bidirectional_controls():
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(name=REVERSED)
    assert Organisation.objects.values_list("name", flat=True).get() == "Atelier lanoitan"


@pytest.mark.django_db
def test_names_stored_before_the_rule_are_cleaned_by_the_data_migration():
    organisation = OrganisationFactory(name="Atelier")
    with connection.cursor() as cursor:  # as a row written before the rule: past the field
        cursor.execute(
            "UPDATE accounts_organisation SET name = %s WHERE id = %s", [REVERSED, organisation.pk]
        )
    assert Organisation.objects.values_list("name", flat=True).get() == REVERSED
    clean_stored_names(apps, "accounts", "Organisation", "name", "city")
    assert Organisation.objects.values_list("name", flat=True).get() == "Atelier lanoitan"


@pytest.mark.django_db
def test_the_admin_stores_a_programmes_name_without_bidirectional_controls(staff):
    # The programme's name heads the staff lists, the CSV exports and the households' emails.
    response = staff.post("/admin/programmes/new/", admin_form(name="Nord\u202e 95 ,"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Programme.objects.values_list("name", flat=True).get() == "Nord 95 ,"


@pytest.mark.django_db
def test_a_wagtail_page_title_is_stored_without_bidirectional_controls(demo):
    page = StandardPage.objects.get(slug="mentions-legales", locale__language_code="fr")
    page.title, page.seo_title = REVERSED, INVISIBLE
    page.save_revision().publish()
    page = StandardPage.objects.get(pk=page.pk)
    assert (page.title, page.draft_title, page.seo_title) == ("Atelier lanoitan", "Atelier lanoitan", "Léa")


@pytest.mark.django_db
def test_notes_of_several_lines_keep_their_lines_without_bidirectional_controls():
    device = DeviceFactory()
    Device.objects.filter(pk=device.pk).update(repair_notes="Écran\u202e changé\r\nClavier\u2028OK\tlà")
    assert Device.objects.values_list("repair_notes", flat=True).get() == "Écran changé\nClavier\nOK là"


# Free text no reader is misled by, left as typed or as read: identifiers and codes compared with other systems'
# (an asset tag, a SIM number, a cheque number; serial numbers are `SerialField`s, stored as `serial_text`), addresses and numbers with their own
# validators, what Rebond writes itself (emails, error and import messages), and the keys matched against the
# text of a file (a manifest's headers).
AS_TYPED = {
    "token", "digest", "selector", "sha256", "content_type", "code", "handover_code", "batch", "department",
    "postcode", "pickup_postcode", "pickup_department", "outcome_department", "default_department", "siret",
    "rna", "api_particulier_recipient_siret", "phone", "contact_phone", "subscribe_phone", "emails", "website",
    "source_url", "banner_link", "verification_url", "opening_hours", "departments", "idempotency_key",
    "stripe_payment_intent", "client_secret", "stripe_refund", "event_id", "reference", "booklet_number",
    "cheque_number", "external_id", "pivot", "asset_tag", "number", "content_hash",
    "lot_fingerprint", "key", "alias", "header", "value", "template", "subject", "body_text", "body_html",
    "last_error", "failure_message", "failure_reason", "failure", "outcome", "message", "reason", "detail",
    "storage_type", "type", "kind", "device_type", "language", "password", "grade", "recycle_reference",
    "source", "task", "fingerprint", "etag", "body",
}  # fmt: skip
PROJECT_APPS = ("reuse.", "donations.", "inventory.", "cms.")


def free_text_fields():
    for model in apps.get_models():
        if model.__module__.startswith(PROJECT_APPS):
            for field in model._meta.local_fields:
                if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                    if field.editable and not isinstance(field, (models.EmailField, models.URLField)):
                        yield field


def test_every_free_text_people_read_is_visible():
    typed = [
        str(field) for field in free_text_fields() if not isinstance(field, (*VISIBLE_FIELDS, SerialField))
    ]
    assert [name for name in typed if name.rsplit(".", 1)[1] not in AS_TYPED] == []


@pytest.mark.django_db
def test_notes_stored_before_the_rule_are_cleaned_line_by_line_by_the_data_migration():
    device = DeviceFactory()
    with connection.cursor() as cursor:  # as a row written before the rule: past the field
        cursor.execute(
            "UPDATE inventory_device SET repair_notes = %s WHERE id = %s", ["Écran\u202e\r\nOK", device.pk]
        )
    clean_stored_names(apps, "inventory", "Device", "repair_notes")
    assert Device.objects.values_list("repair_notes", flat=True).get() == "Écran\nOK"


@pytest.mark.django_db
def test_a_unique_name_that_only_invisible_characters_set_apart_stops_the_data_migration():
    disguised, genuine = VoucherFunderFactory(name="CAF"), VoucherFunderFactory(name="CAF 93")
    with connection.cursor() as cursor:  # « CAF 93 » with a zero-width space, written before the rule
        cursor.execute(
            "UPDATE claims_voucherfunder SET name = %s WHERE id = %s", ["CAF\u200b 93", disguised.pk]
        )
    with pytest.raises(
        ValueError, match=f"claims.VoucherFunder {disguised.pk}: .*claims.VoucherFunder {genuine.pk}\\."
    ):
        clean_stored_names(apps, "claims", "VoucherFunder", "name")
    assert (
        VoucherFunder.objects.filter(pk=disguised.pk).values_list("name", flat=True).get() == "CAF\u200b 93"
    )


def is_hidden(char: str) -> bool:
    return (
        char in BIDI_CONTROLS
        or unicodedata.category(char) in ("Cc", "Zl", "Zp")
        or (unicodedata.category(char) == "Cf" and char not in "\u200c\u200d")
    )


names = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from(BIDI_CONTROLS), st.sampled_from("مريمשרה")),
    max_size=60,
)


@given(names)
def test_cleaning_is_idempotent(text):
    assert visible_text(visible_text(text)) == visible_text(text)


@given(names)
def test_cleaning_keeps_every_letter_in_order(text):
    assert [c for c in visible_text(text) if c.isalnum()] == [c for c in text if c.isalnum()]


@given(names)
def test_cleaning_leaves_no_control(text):
    assert not any(is_hidden(char) for char in visible_text(text))


@pytest.mark.parametrize("field", [f for f in free_text_fields() if isinstance(f, VISIBLE_FIELDS)], ids=str)
@given(text=names)
def test_every_write_path_of_a_visible_field_stores_it_visible(field, text):
    """What a form (to_python), a save (pre_save) and a lookup or `QuerySet.update` (get_prep_value) store."""
    several_lines = isinstance(field, models.TextField)
    for stored in (field.to_python(text), field.get_prep_value(text)):
        assert stored == (visible_lines(text) if several_lines else visible_text(text))
        assert not any(is_hidden(char) for char in stored.replace("\n", "" if several_lines else "\n"))
        assert [c for c in stored if c.isalnum()] == [c for c in text if c.isalnum()]


@given(names)
@example("\xad")
@example("Écran\r\n\u202e\u2028OK")
def test_a_note_keeps_its_lines(text):
    """Every line break, whichever was sent, stays one LF. (Counting lines instead failed on a last line made only
    of invisible characters, « \\xad »: it is kept, empty, and an empty last line is no line to splitlines.)"""
    breaks = sum(1 for line in text.splitlines(keepends=True) if line.splitlines() != [line])
    assert visible_lines(text).count("\n") == breaks
    assert visible_lines(visible_lines(text)) == visible_lines(text)


def test_right_to_left_names_are_kept():
    assert visible_text("مريم بن علي") == "مريم بن علي"
    assert visible_text("שרה לוי") == "שרה לוי"
