"""One way to create an account: every sign-up form and service applies settings.AUTH_PASSWORD_VALIDATORS, and
nothing else (the workshop's sign-up once asked for 12 characters, the others for 10)."""

import pytest
from django.urls import reverse

from donations.forms import DonorRegistrationForm
from inventory.forms import AccountForm
from reuse.accounts import services as accounts
from reuse.accounts.forms import JoinForm
from reuse.accounts.models import User
from reuse.accounts.signups import create_account, password_problems
from reuse.eligibility.forms import AssociationSignupForm, HouseholdSignupForm
from reuse.eligibility.services import associations
from reuse.errors import InvalidInput
from reuse.structures import services as structures
from reuse.structures.forms import StructureSignupForm
from tests.factories.structures import PLUMBER

pytestmark = pytest.mark.django_db

ACCOUNT = {"first_name": "Inès", "last_name": "Petit", "email": "ines@example.test"}
HOUSEHOLD = {**ACCOUNT, "postcode": "93200", "household_size": 2, "birth_date": "1990-01-02"}
ASSOCIATION = {
    **ACCOUNT,
    "name": "Les Amis du Clic",
    "rna": "W931111111",
    "purpose": "Ateliers numériques",
    "public": "Seniors isolés",
    "address": "3 rue Haute",
    "postcode": "93100",
    "city": "Montreuil",
}
STRUCTURE = {**ACCOUNT, **PLUMBER}
DONOR = {
    **ACCOUNT,
    "name": "Banque Exemple",
    "siret": "35600000000048",
    "address": "9 rue du Louvre",
    "postcode": "75001",
    "city": "Paris",
}
# The workshop's page, whose account fields carry the prefix « account- ».
WORKSHOP_PAGE = {
    "account-first_name": "Léa",
    "account-last_name": "Petit",
    "account-account_email": "lea@atelier.test",
    "name": "Atelier Solidaire 95",
    "siret": "732 829 320 00074",
    "address": "3 rue des Fleurs",
    "postcode": "95100",
    "city": "Argenteuil",
    "service_departments": "95",
    "monthly_capacity": "80",
}
WORKSHOP_ACCOUNT = {"first_name": "Inès", "last_name": "Petit", "account_email": "ines@example.test"}
FORMS = [
    pytest.param(lambda data: HouseholdSignupForm(data), HOUSEHOLD, id="household"),
    pytest.param(lambda data: AssociationSignupForm(data), ASSOCIATION, id="association"),
    pytest.param(lambda data: StructureSignupForm(data), STRUCTURE, id="structure"),
    pytest.param(lambda data: AccountForm(data), WORKSHOP_ACCOUNT, id="workshop"),
    pytest.param(lambda data: DonorRegistrationForm(data), DONOR, id="donor"),
    pytest.param(lambda data: JoinForm(data, email="ines@example.test"), ACCOUNT, id="invitation"),
]
# 10 characters, the length settings ask for: the workshop's sign-up refused it.
JUST_LONG_ENOUGH = "vélo-bleu7"


@pytest.mark.parametrize(("make", "data"), FORMS)
def test_every_sign_up_form_refuses_a_short_password_with_the_same_words(make, data):
    form = make({**data, "password": "court"})
    assert not form.is_valid()
    assert form.errors["password"] == password_problems("court", email="ines@example.test")
    assert any("10 caractères" in problem for problem in form.errors["password"])


@pytest.mark.parametrize(("make", "data"), FORMS)
def test_every_sign_up_form_accepts_what_the_settings_accept(make, data):
    form = make({**data, "password": JUST_LONG_ENOUGH})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("make", "data"), FORMS)
def test_every_sign_up_form_refuses_a_password_like_the_persons_email(make, data):
    form = make({**data, "password": "ines@example.test"})
    assert not form.is_valid() and "password" in form.errors


@pytest.mark.parametrize(
    "sign_up",
    [
        pytest.param(lambda password: create_account(**ACCOUNT, password=password), id="account"),
        pytest.param(
            lambda password: accounts.create_household(
                first_name="Inès",
                last_name="Petit",
                email="ines@example.test",
                password=password,
                postcode="93200",
            ),
            id="household",
        ),
        pytest.param(
            lambda password: associations.register_association(
                **ACCOUNT,
                password=password,
                details=accounts.OrganisationDetails.split(ASSOCIATION)[0],
                purpose=ASSOCIATION["purpose"],
                public=ASSOCIATION["public"],
            ),
            id="association",
        ),
        pytest.param(
            lambda password: structures.register_structure(**STRUCTURE, password=password), id="structure"
        ),
    ],
)
def test_every_sign_up_service_holds_the_rule_without_its_form(sign_up):
    with pytest.raises(InvalidInput) as refused:
        sign_up("court")
    assert refused.value.code == "password" and not User.objects.exists()
    user = sign_up(JUST_LONG_ENOUGH)
    assert User.objects.get(email="ines@example.test").check_password(JUST_LONG_ENOUGH) and user


def test_an_address_is_taken_whatever_its_spelling():
    create_account(**ACCOUNT, password=JUST_LONG_ENOUGH)
    with pytest.raises(InvalidInput) as refused:
        create_account(**{**ACCOUNT, "email": "  INES@Example.test "}, password=JUST_LONG_ENOUGH)
    assert refused.value.code == "email_taken"
    form = HouseholdSignupForm({**HOUSEHOLD, "email": "Ines@EXAMPLE.test", "password": JUST_LONG_ENOUGH})
    assert not form.is_valid() and form.errors["email"] == [
        "Un compte existe déjà avec cette adresse e-mail."
    ]


def test_the_workshop_page_takes_a_password_of_the_settings_length(client):
    response = client.post(
        reverse("inventory:register"), {**WORKSHOP_PAGE, "account-password": JUST_LONG_ENOUGH}
    )
    assert response.status_code == 200 and User.objects.filter(email="lea@atelier.test").exists()


def test_the_donor_page_refuses_a_short_password_and_takes_one_of_the_settings_length(client):
    refused = client.post(reverse("donations:register"), {**DONOR, "password": "court"})
    assert refused.status_code == 200 and not User.objects.exists()
    assert password_problems("court", email="ines@example.test")[0] in refused.content.decode()
    response = client.post(reverse("donations:register"), {**DONOR, "password": JUST_LONG_ENOUGH})
    assert response.status_code == 302
    assert User.objects.get(email="ines@example.test").check_password(JUST_LONG_ENOUGH)
