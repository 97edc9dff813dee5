"""A postcode as people type it on a phone ("93 200", a space before or after) is taken as 93200 on every form
that asks for one, with the keyboard of digits, instead of being refused for a format the site can fix itself."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from donations.forms import DonorRegistrationForm, LotForm
from inventory.forms import WorkshopRegistrationForm
from reuse.claims.filters import CatalogueFilter
from reuse.eligibility.forms import AssociationSignupForm, HouseholdSignupForm, ReferrerHouseholdForm
from reuse.structures.forms import StructureSignupForm

POSTCODE_FIELDS = [
    (HouseholdSignupForm, "postcode"),
    (AssociationSignupForm, "postcode"),
    (ReferrerHouseholdForm, "postcode"),
    (StructureSignupForm, "postcode"),
    (DonorRegistrationForm, "postcode"),
    (LotForm, "pickup_postcode"),
    (WorkshopRegistrationForm, "postcode"),
]


def postcode_fields() -> list:
    fields = [
        pytest.param(form.base_fields[name], id=f"{form.__name__}.{name}") for form, name in POSTCODE_FIELDS
    ]
    return [*fields, pytest.param(CatalogueFilter().form.fields["near"], id="catalogue.near")]


@pytest.mark.parametrize("field", postcode_fields())
@pytest.mark.parametrize("typed", ["93 200", " 93200 ", "93\u00a0200"])
def test_a_postcode_typed_with_spaces_is_taken(field, typed):
    assert field.clean(typed) == "93200"


@pytest.mark.parametrize("field", postcode_fields())
def test_a_postcode_field_opens_the_digits_keyboard_and_leaves_room_for_a_space(field):
    attrs = field.widget_attrs(field.widget) | field.widget.attrs
    assert attrs.get("inputmode") == "numeric" and attrs.get("autocomplete") == "postal-code"
    assert "pattern" not in attrs and int(attrs.get("maxlength", 99)) > 5


@pytest.mark.parametrize("field", postcode_fields())
def test_a_postcode_of_four_digits_is_still_refused(field):
    with pytest.raises(Exception, match="5 chiffres"):
        field.clean("9320")


# Every phone number a form asks for, typed however people write it, is kept in one form, « 06 12 34 56 78 ».
PHONE_FIELDS = [
    (DonorRegistrationForm, "phone"),
    (LotForm, "contact_phone"),
    (WorkshopRegistrationForm, "phone"),
]


def phone_fields() -> list:
    return [pytest.param(form.base_fields[name], id=f"{form.__name__}.{name}") for form, name in PHONE_FIELDS]


@pytest.mark.parametrize("field", phone_fields())
@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033612345678",
        " 06\u00a012\u00a034\u00a056\u00a078 ",
    ],
)
def test_a_phone_number_typed_as_people_write_it_is_kept_in_one_form(field, typed):
    assert field.clean(typed) == "06 12 34 56 78"


@pytest.mark.parametrize("field", phone_fields())
def test_an_overseas_or_foreign_number_is_kept_too(field):
    assert field.clean("+262 692 12 34 56") == "06 92 12 34 56"  # La Réunion, dialled from elsewhere
    assert field.clean("+32 2 555 12 34") == "+3225551234"


@pytest.mark.parametrize("field", phone_fields())
@pytest.mark.parametrize(
    "typed", ["06 12 34 56", "06 12 34 56 78 9", "10 12 34 56 78", "06 12 AB 56 78", "+33 6 12"]
)
def test_an_impossible_phone_number_is_refused_in_french(field, typed):
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.messages == [
        "Ce numéro de téléphone n’existe pas : tapez ses 10 chiffres, par exemple 06 12 34 56 78 ou 0692 12 34 "
        "56 ; un numéro de Saint-Pierre-et-Miquelon ou de l’étranger avec son indicatif, par exemple +508 41 23 45."
    ]


@pytest.mark.parametrize("field", phone_fields())
def test_a_phone_field_opens_the_phone_keyboard_and_offers_the_persons_number(field):
    attrs = field.widget_attrs(field.widget) | field.widget.attrs
    assert field.widget.input_type == "tel" and attrs.get("autocomplete") == "tel"
    assert not field.required and field.clean("") == ""


@pytest.mark.django_db
def test_a_lot_declared_through_the_api_keeps_the_same_form_and_refuses_an_impossible_number():
    from donations.services import create_lot
    from reuse.errors import InvalidInput
    from tests.factories.accounts import OrganisationFactory, UserFactory

    donor, user = OrganisationFactory(donor=True), UserFactory()
    lot = {
        "donor": donor,
        "created_by": user,
        "title": "Portables",
        "pickup_address": "1 rue Haute",
        "pickup_postcode": "75001",
        "available_from": date(2026, 1, 5),
    }
    assert create_lot(**lot, contact_phone="+33 6 12 34 56 78").contact_phone == "06 12 34 56 78"
    with pytest.raises(InvalidInput, match="n’existe pas"):
        create_lot(**lot, contact_phone="06 12 34")


@pytest.mark.django_db
def test_an_organisation_registered_without_a_form_keeps_the_same_form():
    from reuse.accounts.enums import OrganisationKind
    from reuse.accounts.services import OrganisationDetails, register_organisation
    from reuse.errors import InvalidInput

    details = OrganisationDetails(
        name="Banque Exemple",
        siret="35600000000048",
        address="9 rue du Louvre",
        postcode="75001",
        city="Paris",
        phone="01.23.45.67.89",
    )
    assert register_organisation(kind=OrganisationKind.DONOR, details=details).phone == "01 23 45 67 89"
    with pytest.raises(InvalidInput, match="n’existe pas"):
        register_organisation(kind=OrganisationKind.DONOR, details=replace(details, phone="01 23"))


@pytest.mark.django_db
def test_staff_correcting_an_organisations_number_in_the_admin_keep_the_same_form():
    """The admin's form runs the model's clean(): the number staff type is kept as the sign-up forms keep it."""
    from tests.factories.accounts import OrganisationFactory

    organisation = OrganisationFactory(donor=True)
    organisation.phone = "+33 6.12.34.56.78"
    organisation.full_clean()
    assert organisation.phone == "06 12 34 56 78"
    organisation.phone = "06 12 34"
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "n’existe pas" in refused.value.message_dict["phone"][0]
