"""A postcode as people type it on a phone ("93 200", a space before or after) is taken as 93200 on every form
that asks for one, with the keyboard of digits, instead of being refused for a format the site can fix itself."""

import pytest

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
