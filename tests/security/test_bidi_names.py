"""A name typed with Unicode's bidirectional controls (« Atelier\u202e lanoitan\u202c » shows as « Atelier
national ») or other invisible format characters reaches staff lists, exports, PDFs and email subjects reversed
or disguised. Whatever writes it (a site form, the API, the Wagtail admin, `QuerySet.update`), it is stored
without them; Arabic and Hebrew letters are kept."""

import unicodedata

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from donations.models import Lot
from reuse.accounts.models import Organisation, User
from reuse.accounts.wagtail_hooks import ORGANISATION_FORM_FIELDS
from reuse.fields import clean_stored_names, visible_text
from tests.donations.test_lots import LOT
from tests.factories.accounts import OrganisationFactory
from tests.factories.donations import donor_with_member
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


def test_right_to_left_names_are_kept():
    assert visible_text("مريم بن علي") == "مريم بن علي"
    assert visible_text("שרה לוי") == "שרה לוי"
