"""The workshop reaches its lots and counter from its own navigation and hears about a lot offered to it; the
donor sees only the documents a lot has, and a pickup planned twice is planned once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from donations import services
from donations.models import LotEvent
from tests.factories.accounts import MembershipFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory, workshop_with_member

pytestmark = pytest.mark.django_db


def test_the_workshops_lot_pages_sit_inside_the_workshop_navigation(client):
    workshop, member = workshop_with_member()
    lot = LotFactory(submitted=True, workshop=workshop)
    client.force_login(member)
    for url in ("/atelier/", "/dons/atelier/", f"/dons/atelier/lots/{lot.pk}/", "/demandes/atelier/remise/"):
        html = client.get(url).content.decode()
        nav = html[html.index("data-workshop-nav") : html.index("</nav>", html.index("data-workshop-nav"))]
        for target in ("/atelier/", "/dons/atelier/", "/atelier/stock/", "/demandes/atelier/remise/"):
            assert f'href="{target}"' in nav, (url, target)


def test_a_lot_offered_to_a_workshop_is_emailed_to_it(django_capture_on_commit_callbacks):
    workshop, admin = workshop_with_member()
    workshop.email = "contact@atelier.example"
    workshop.save(update_fields=["email"])
    MembershipFactory(organisation=workshop, role="member")  # a technician: the offer goes to the admins
    lot = LotFactory(submitted=True, title="Portables du siège")
    LotItemFactory(lot=lot)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_lot(lot=lot, workshop=workshop, actor=lot.created_by)
    offered = [m for m in mail.outbox if m.subject == "Un lot vous est proposé : « Portables du siège »"]
    assert sorted(address for m in offered for address in m.to) == sorted(
        [admin.email, "contact@atelier.example"]
    )
    assert f"/dons/atelier/lots/{lot.pk}/" in offered[0].body


def test_planning_the_same_pickup_twice_writes_one_line_and_one_email(django_capture_on_commit_callbacks):
    workshop, member = workshop_with_member()
    donor, user = donor_with_member()
    lot = LotFactory(accepted=True, workshop=workshop, donor=donor, created_by=user)
    when = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        for _click in range(2):
            services.schedule_pickup(lot=lot, workshop=workshop, actor=member, when=when, note="Quai B")
    assert LotEvent.objects.filter(lot=lot).count() == 1
    sent = [m.subject for m in mail.outbox if m.to == [user.email]]
    assert len(sent) == 1 and "enlèvement prévu le" in sent[0] and "Accepté" not in sent[0]
    # A real change of date is written and told again.
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_pickup(lot=lot, workshop=workshop, actor=member, when=when + timedelta(days=1))
    assert LotEvent.objects.filter(lot=lot).count() == 2 and len(mail.outbox) == 2


def test_a_draft_lot_offers_no_certificate_nor_receipt(client):
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user)
    client.force_login(user)
    html = client.get(f"/dons/lots/{lot.pk}/").content.decode()
    assert (
        f"/dons/lots/{lot.pk}/certificat.pdf" not in html and f"/dons/lots/{lot.pk}/recu-fiscal/" not in html
    )
    assert 'data-lot-documents="none"' in html


def test_a_received_lot_offers_its_documents(client):
    workshop, _member = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = LotFactory(received=True, workshop=workshop, donor=donor, created_by=user)
    device = DeviceFactory(lot=lot, workshop=workshop)
    ErasureRecordFactory(ssd=True, device=device)
    client.force_login(user)
    html = client.get(f"/dons/lots/{lot.pk}/").content.decode()
    assert f"/dons/lots/{lot.pk}/certificat.pdf" in html and f"/dons/lots/{lot.pk}/recu-fiscal/" in html


def test_the_receipt_page_of_a_lot_without_a_workshop_says_so(client):
    donor, user = donor_with_member()
    lot = LotFactory(submitted=True, donor=donor, created_by=user)
    client.force_login(user)
    html = client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    assert 'data-receipt-status="no_workshop"' in html and "n’est pas habilité" not in html
