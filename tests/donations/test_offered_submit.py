"""A donor's lot page offers « Soumettre le lot » only when submitting it would be accepted: an organisation staff
have not verified yet, or a lot with no device declared, reads why in its place rather than after pressing it."""

import pytest
from django.urls import reverse

from donations.enums import LotStatus
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member

pytestmark = pytest.mark.django_db
CASES = {
    "verified donor, devices declared": True,
    "donor awaiting verification": False,
    "no device yet": False,
}


@pytest.mark.parametrize("case", CASES)
def test_the_submit_button_is_offered_only_when_submitting_is_accepted(client, case):
    donor, member = donor_with_member(pending=case == "donor awaiting verification")
    lot = LotFactory(donor=donor, created_by=member)
    if case != "no device yet":
        LotItemFactory(lot=lot)
    client.force_login(member)
    page = client.get(reverse("donations:lot", args=[lot.pk])).content.decode()
    offered = f'action="{reverse("donations:submit", args=[lot.pk])}"' in page
    answer = client.post(reverse("donations:submit", args=[lot.pk]), follow=True).content.decode()
    lot.refresh_from_db()
    accepted = lot.status == LotStatus.SUBMITTED
    assert offered == accepted == CASES[case], (offered, accepted)
    if not accepted:
        # The words the refusal says after pressing were on the page before.
        said = "vérifiée par l’équipe Rebond" if case == "donor awaiting verification" else "Ajoutez au moins"
        assert said in answer and said in page
