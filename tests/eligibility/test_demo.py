import io

import pytest
from django.core.management import call_command

from reuse.accounts.models import User
from reuse.eligibility.models import Mandate
from reuse.eligibility.services import decisions
from reuse.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_an_eligible_household_a_verified_association_and_a_printed_code(client, demo):
    out = io.StringIO()
    call_command("seed_demo", "--force", stdout=out)  # idempotent; prints a fresh code, the old one stops
    programme = Programme.objects.get()
    assert set(programme.departments) == {"93", "95", "75", "92", "94"}
    assert programme.prices.get(device_type="laptop", grade="A").max_cents == 8000
    assert decisions.valid_decision_for(user=User.objects.get(email="beneficiaire@example.org"))
    from reuse.accounts.demo import demo_organisation

    assert decisions.valid_decision_for(organisation=demo_organisation("association"))
    mandate = Mandate.objects.active().get(household__email__isnull=True)
    assert mandate.referrer_organisation == demo_organisation("referrer")
    code = out.getvalue().split("code de connexion ")[1].split(" ")[0]
    assert client.post("/eligibilite/connexion-code/", {"code": code}).status_code == 302
    referrer = User.objects.get(email="prescripteur@example.org")
    client.force_login(referrer)
    page = client.get("/eligibilite/prescripteur/").content.decode()
    assert "Traoré" in page
    client.force_login(User.objects.get(email="beneficiaire@example.org"))
    assert client.get("/compte/espace/")["Location"] == "/eligibilite/"
