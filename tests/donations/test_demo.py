"""The demo: lots in several states for the demo donor, one processed; every page renders for each role."""

import pytest

from donations.models import Lot

pytestmark = pytest.mark.django_db


def test_the_demo_donor_has_lots_in_several_states_and_every_page_renders(client, demo):
    lots = Lot.objects.filter(donor__name="Assurances Mutuelles du Centre")
    assert {lot.status for lot in lots} >= {"draft", "submitted", "accepted", "received"}
    processed = lots.get(status="received")
    assert (
        processed.devices.filter(state="handed_over").exists()
        and processed.devices.filter(erasures__isnull=False).exists()
    )

    client.login(username="donateur@example.org", password=demo)
    assert client.get("/compte/espace/").url == "/dons/"
    for lot in lots:
        for suffix in ("", "impact/", "recu-fiscal/", "devenir.csv", "devenir.xlsx"):
            assert client.get(f"/dons/lots/{lot.pk}/{suffix}").status_code == 200, (lot.title, suffix)
    assert client.get(f"/dons/lots/{processed.pk}/certificat.pdf").content.startswith(b"%PDF")
    for path in ("/dons/", "/dons/lots/nouveau/", "/dons/impact/"):
        assert client.get(path).status_code == 200

    client.login(username="atelier@example.org", password=demo)
    assert client.get("/dons/atelier/").status_code == 200
    for lot in lots.exclude(workshop=None):
        assert client.get(f"/dons/atelier/lots/{lot.pk}/").status_code == 200

    client.login(username="hub@example.org", password=demo)
    assert client.get("/admin/lots/").status_code == 200
    assert client.get(f"/admin/lots/edit/{processed.pk}/").status_code == 200


def test_seeding_twice_creates_nothing_more(demo):
    from django.core.management import call_command

    before = Lot.objects.count(), Lot.objects.get(status="received").devices.count()
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    assert (Lot.objects.count(), Lot.objects.get(status="received").devices.count()) == before
