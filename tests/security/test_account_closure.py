"""A household's rights over its data: a copy of it, and closing its account (RGPD articles 15, 17 and 20).

Closing erases at once what identifies the person (name, email, password, birth date, postcode, the files of
their documents and ticket photos), ends the mandates held for them and every session, and keeps the payments
and handovers (accounting records) tied to an anonymous account. It is refused while a claim is under way, and
asks for the password again.
"""

import datetime
import io
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from PIL import Image
from wagtail.log_actions import log

from reuse.accounts.models import HouseholdProfile, User
from reuse.aftercare.models import Ticket
from reuse.aftercare.services import tickets, triage
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations
from reuse.eligibility.models import EligibilityDocument, HouseholdFingerprint, Mandate
from reuse.eligibility.services import documents
from reuse.eligibility.services.duplicates import record_fingerprint
from reuse.tripod import services as sessions
from reuse.tripod.models import SessionBooking
from tests.aftercare.helpers import handed_over
from tests.documents import PDF
from tests.factories.accounts import PASSWORD, OrganisationFactory, UserFactory, member_of
from tests.factories.eligibility import MandateFactory, eligible, referrer_with_household
from tests.factories.inventory import DeviceFactory
from tests.factories.programmes import ProgrammeFactory
from tests.factories.tripod import SessionSlotFactory

pytestmark = pytest.mark.django_db

FIRST, LAST, EMAIL, BORN = (
    "Zélinda",
    "Quarbonnet",
    "zelinda.quarbonnet@example.test",
    datetime.date(1987, 3, 14),
)
POSTCODE = "93450"  # L’Île-Saint-Denis: no organisation of the tests lives there
URL = "/compte/mes-donnees/"


@pytest.fixture
def programme(db):
    return ProgrammeFactory(every_check=True)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "white").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def person(programme):
    """A household with a password, a handed-over device, a closed ticket with a photo, a document waiting for
    review, a mandate signed with its name, and a fingerprint."""
    user = User.objects.create_user(email=EMAIL, password=PASSWORD, first_name=FIRST, last_name=LAST)
    HouseholdProfile.objects.create(user=user, postcode=POSTCODE, birth_date=BORN)
    eligible(user, programme=programme)
    record_fingerprint(user)
    claim, technician = handed_over(household=user)
    ticket = tickets.open_ticket(
        actor=user,
        claim_id=claim.pk,
        description=f"L’écran de {FIRST} clignote",
        photo=SimpleUploadedFile("ecran.jpg", jpeg()),
    )
    triage.give_advice(actor=technician, ticket_id=ticket.pk, note="Mettez à jour le pilote.")
    referrers = OrganisationFactory(referrer=True)
    MandateFactory(
        household=user, referrer_organisation=referrers, referrer=member_of(referrers), signed_name=LAST
    )
    documents.upload_document(
        household=user, uploaded_by=user, criteria=["rsa"], upload=SimpleUploadedFile("caf.pdf", PDF)
    )
    log(instance=user, action="wagtail.edit", user=UserFactory(is_staff=True), data={"email": EMAIL})
    sessions.book_session(actor=user, household=user, slot_id=SessionSlotFactory().pk)
    return user


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    return client


def close(client, password=PASSWORD):
    return client.post(URL, {"password": password, "confirm": "on"})


def every_stored_value() -> str:
    """Every value of every row of every model, as text: where a name or an address could hide."""
    values = []
    for model in apps.get_models():
        fields = [field.attname for field in model._meta.concrete_fields]
        for row in model.objects.values_list(*fields):
            values.extend(str(value) for value in row if value not in (None, ""))
    return "\n".join(values).lower()


def test_the_person_downloads_a_copy_of_their_data(person):
    response = signed_in(person).get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert (data["account"]["email"], data["household"]["birth_date"]) == (EMAIL, BORN.isoformat())
    assert [claim["status"] for claim in data["claims"]] == [ClaimStatus.HANDED_OVER]
    assert data["eligibility"]["mandates"][0]["signed_name"] == LAST
    assert len(data["eligibility"]["documents"]) == 1
    assert FIRST in data["warranty_tickets"][0]["description"]
    assert "Mettez à jour le pilote." in [step["note"] for step in data["warranty_tickets"][0]["steps"]]
    assert [seat["status"] for seat in data["first_use"]["sessions"]] == ["booked"]
    assert Client().get(reverse("accounts:my_data_download")).status_code == 302


def test_closing_erases_everything_personal_and_keeps_the_accounts(
    person, django_capture_on_commit_callbacks
):
    document = EligibilityDocument.objects.get(decision__beneficiary=person)
    ticket = Ticket.objects.get(claim__beneficiary=person)
    files = [(document.file.storage, document.file.name), (ticket.photo.storage, ticket.photo.name)]
    assert all(storage.exists(name) for storage, name in files)
    other_session = signed_in(person)
    client = signed_in(person)
    assert client.get(URL).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = close(client)

    assert response.status_code == 302
    assert not any(storage.exists(name) for storage, name in files)
    stored = every_stored_value()
    for personal in (FIRST, LAST, EMAIL, BORN.isoformat(), POSTCODE):
        assert personal.lower() not in stored, personal
    person.refresh_from_db()
    assert not person.is_active and not person.has_usable_password() and person.email is None
    assert not HouseholdFingerprint.objects.filter(user=person).exists()
    assert not Mandate.objects.active().filter(household=person).exists()
    assert not EligibilityDocument.objects.waiting().filter(pk=document.pk).exists()
    # Its seat at a first-use session goes back to other households.
    assert SessionBooking.objects.get(household=person).status == "cancelled"
    # What accounting needs is still there, without a name.
    assert Claim.objects.get(beneficiary=person).status == ClaimStatus.HANDED_OVER
    # Signed out here and in the other session; the old password opens nothing.
    assert client.get(reverse("accounts:my_data_download")).status_code == 302
    assert other_session.get(reverse("accounts:my_data_download")).status_code == 302
    assert not Client().login(username=EMAIL, password=PASSWORD)


def test_closing_is_refused_while_a_claim_is_under_way(programme):
    household = eligible(programme=programme)
    reservations.create_claim(actor=household, device_id=DeviceFactory(listed=True).pk)
    client = signed_in(household)
    assert "demande d’appareil est en cours" in client.get(URL).content.decode()
    response = close(client)
    assert response.status_code == 409
    household.refresh_from_db()
    assert household.is_active and household.email and household.first_name


def test_closing_asks_for_the_password_again(person):
    client = signed_in(person)
    response = close(client, password="not-my-password")
    assert response.status_code == 403 and "Mot de passe incorrect" in response.content.decode()
    response = client.post(URL, {"password": PASSWORD})  # the box saying it is for good is not ticked
    assert response.status_code == 422
    person.refresh_from_db()
    assert person.is_active and person.email == EMAIL
    assert EligibilityDocument.objects.filter(decision__beneficiary=person, deleted_at__isnull=True).exists()


def test_an_organisation_member_cannot_close_their_account_here(programme):
    member = member_of(OrganisationFactory(workshop=True))
    client = signed_in(member)
    # A member's spaces do not link to the page as a household's does: every page's footer does, once signed in.
    stock = client.get("/atelier/", follow=True).content.decode()
    assert f'href="{URL}"' in stock and f'href="{URL}"' not in Client().get("/").content.decode()
    copy = json.loads(client.get(reverse("accounts:my_data_download")).content)
    assert copy["account"]["email"] == member.email and copy["account"]["organisations"]
    assert close(client).status_code == 409
    member.refresh_from_db()
    assert member.is_active and member.email


def test_staff_close_the_account_of_a_household_signing_in_with_a_code(programme):
    """Such a household cannot close online (its referrer holds its printed code too): staff do it on request."""
    _referrer, household = referrer_with_household()
    call_command("close_household_account", household.pk, stdout=io.StringIO())
    household.refresh_from_db()
    assert not household.is_active and household.get_full_name() == ""
    assert not Mandate.objects.active().filter(household=household).exists()
    busy = eligible(programme=programme)
    reservations.create_claim(actor=busy, device_id=DeviceFactory(listed=True).pk)
    with pytest.raises(CommandError, match="demande d’appareil est en cours"):
        call_command("close_household_account", busy.pk)
    busy.refresh_from_db()
    assert busy.is_active and busy.first_name


def test_the_copy_is_written_in_the_language_the_person_chose(person):
    """Labels of the copy (a ticket's steps, the mandate journal, the waiting list) follow the account's language,
    as the pages do: a household reading Rebond in English reads its copy in English."""
    User.objects.filter(pk=person.pk).update(language="en")
    data = json.loads(signed_in(person).get(reverse("accounts:my_data_download")).content)
    steps = [step["status"] for step in data["warranty_tickets"][0]["steps"]]
    assert "Advice given" in steps and "Conseil donné" not in steps, steps
