"""When the programme that made a household eligible ends, its decision does not carry the old rules on: the
running programme of its department takes over (territory, caps, hold time) if it would have made it eligible
on the same grounds; otherwise claims stop, told why and what to do, in the catalogue and on the waiting list."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reuse.claims.enums import WaitlistStatus
from reuse.claims.models import Claim
from reuse.claims.services import reservations, waitlist
from reuse.errors import Forbidden
from tests.claims.helpers import join
from tests.claims.test_territory import in_department, still_listed
from tests.factories.eligibility import eligible, eligible_association, referrer_with_household
from tests.factories.programmes import ProgrammeFactory

pytestmark = pytest.mark.django_db


def end(programme):
    """The programme's last day was yesterday, as staff record it in the admin."""
    programme.ends_on = timezone.localdate() - timedelta(days=1)
    programme.save()


def refused_on_its_page(client, household, device) -> str:
    """What the household reads when it asks for `device` from its page and is refused (the device stays listed)."""
    client.force_login(household)
    refused = client.post(f"/catalogue/{device.pk}/demander/")
    assert refused.status_code == 403
    assert still_listed(device)
    return refused.content.decode()


def test_the_successor_programme_of_the_department_takes_over_the_rules(client, programme):
    household = eligible()  # Saint-Denis (93), on the RSA, attested under the 93 + 75 programme
    end(programme)
    successor = ProgrammeFactory(departments=["93"], starts_on=timezone.localdate(), hold_hours=24)
    claim = reservations.create_claim(actor=household, device_id=in_department("93", price_cents=1500).pk)
    assert claim.programme == successor
    assert Claim.objects.get(pk=claim.pk).decision.programme == programme  # the decision stays as made
    assert timedelta(hours=23) < claim.expires_at - timezone.now() <= timedelta(hours=24)
    # Its territory too: Paris was the former programme's, not the successor's.
    paris = in_department("75")
    page = refused_on_its_page(client, household, paris)
    assert f"votre programme « {successor.name} » couvre seulement les départements 93" in page
    # The catalogue shows the same territory: Paris's device is not offered as claimable.
    assert paris not in client.get("/catalogue/").context["devices"]


def test_without_a_successor_on_the_same_grounds_claims_stop_with_what_to_do(client, programme):
    household = eligible()
    referrer, followed = referrer_with_household()
    entry = join(referrer, beneficiary=followed)
    end(programme)
    ProgrammeFactory(departments=["93"], starts_on=timezone.localdate(), criteria=["aah"])  # not the RSA
    device = in_department("93")
    assert (
        f"Le programme « {programme.name} » qui vous rendait éligible est terminé, et aucun programme en cours ne "
        "vous rend éligible aux mêmes conditions dans votre département (93)"
    ) in refused_on_its_page(client, household, device)
    with pytest.raises(Forbidden, match="qui rendait ce foyer éligible est terminé"):
        reservations.create_claim(actor=referrer, device_id=device.pk, beneficiary=followed)
    # The household waiting through its referrer leaves the list, and the referrer is told why.
    assert waitlist.offer_device(device.pk) is None
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.CANCELLED
    assert any("Attestez de nouveau son éligibilité depuis sa fiche" in m.body for m in mail.outbox)


def test_an_association_asking_for_quantities_gets_devices_of_the_successors_territory(programme):
    organisation, member = eligible_association(programme)  # in 93, under the 93 + 75 programme
    end(programme)
    ProgrammeFactory(departments=["93"], starts_on=timezone.localdate())
    paris, saint_denis = in_department("75", price_cents=500), in_department("93", price_cents=2000)
    claims = reservations.reserve_quantities(
        actor=member, organisation=organisation, quantities={"laptop": 1}
    )
    assert [claim.device for claim in claims] == [
        saint_denis
    ]  # not the cheaper one, outside its territory now
    assert still_listed(paris)
