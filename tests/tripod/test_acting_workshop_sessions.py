"""A technician in two workshops publishes first-use sessions for the workshop they chose on the dashboard.

The sessions page took the person's first workshop: a session meant for the second was offered to the first
workshop's households, at the first workshop's address.
"""

import pytest
from django.urls import reverse

from inventory.views.access import CHOSEN_WORKSHOP_KEY
from reuse.tripod.models import SessionSlot
from tests.factories.accounts import OrganisationFactory
from tests.security.acting import signed_in_member_of

pytestmark = pytest.mark.django_db

SLOT = {"starts_at": "2099-01-15T14:00", "duration_minutes": 90, "capacity": 6, "topic": "Ordinateur"}


@pytest.fixture
def two_workshops(client):
    pair = [OrganisationFactory(open_workshop=True) for _ in range(2)]
    signed_in_member_of(client, *pair)
    return pair


def test_a_session_is_published_for_the_workshop_chosen_on_the_dashboard(client, two_workshops):
    _first, second = two_workshops
    client.post(reverse("inventory:dashboard"), {"workshop": second.pk})

    response = client.post(reverse("tripod:workshop_sessions"), SLOT)

    assert response.status_code == 302
    assert SessionSlot.objects.get().workshop == second


def test_without_a_choice_the_page_sends_them_to_choose_and_publishes_nothing(client, two_workshops):
    response = client.post(reverse("tripod:workshop_sessions"), SLOT, follow=True)

    assert response.redirect_chain[-1][0] == reverse("inventory:dashboard")
    assert "plusieurs ateliers" in response.content.decode()
    assert not SessionSlot.objects.exists()


def test_a_choice_that_is_no_longer_theirs_is_not_used(client, two_workshops):
    session = client.session
    session[CHOSEN_WORKSHOP_KEY] = OrganisationFactory(open_workshop=True).pk
    session.save()

    client.post(reverse("tripod:workshop_sessions"), SLOT)

    assert not SessionSlot.objects.exists()
