"""What the donor gets back: per-serial outcomes, certificate, exports, impact, tax receipt, dashboard."""

import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from donations import impact
from donations.models import ErasureCertificate, TaxReceipt
from inventory.models import Device
from tests.donations.certificate_helpers import outcome_rows
from tests.factories.accounts import HouseholdProfileFactory
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory, workshop_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(client):
    """A received lot with devices in every outcome, and the donor signed in."""
    workshop, member = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    reused = DeviceFactory(
        lot=lot, workshop=workshop, serial="SN-REUSED", handed_over=True, outcome_department="93"
    )
    phone = DeviceFactory(
        lot=lot,
        workshop=workshop,
        serial="SN-PHONE",
        type="smartphone",
        handed_over=True,
        outcome_department="75",
    )
    recycled = DeviceFactory(lot=lot, workshop=workshop, serial="SN-RECYCLED", recycled=True)
    DeviceFactory(lot=lot, workshop=workshop, serial="SN-PARTS", parts=True)
    DeviceFactory(lot=lot, workshop=workshop, serial="=CMD|calc", state="in_repair")
    ErasureRecordFactory(ssd=True, device=reused, operator=member, media_serial="MEDIA-1")
    ErasureRecordFactory(
        ssd=True, device=reused, operator=member, media_serial="MEDIA-2", method="clear", media_type="hdd"
    )
    ErasureRecordFactory(ssd=True, device=phone, operator=member, media_serial="MEDIA-3", media_type="emmc")
    ErasureRecordFactory(ssd=True, device=recycled, operator=member, media_serial="MEDIA-4", method="destroy")
    for device in Device.objects.filter(lot=lot):
        LotItemFactory(lot=lot, serial=device.serial, type=device.type, net_book_value_cents=0)
    client.force_login(user)
    return lot


def test_the_lot_page_shows_each_serial_outcome_without_any_beneficiary_identity(client, processed):
    HouseholdProfileFactory(user__first_name="Nadia", user__last_name="Benali")
    page = client.get(f"/dons/lots/{processed.pk}/").content.decode()

    assert "Remis à un foyer ou une association du département 93" in page
    assert "Remis à un foyer ou une association du département 75" in page
    assert "Recyclé via la filière Ecologic (BSD-1)" in page
    assert "Conservé pour pièces détachées" in page
    assert "Purge (purge), nwipe 0.37" in page
    assert "Benali" not in page and "Nadia" not in page


def test_the_lot_page_uses_a_constant_number_of_queries(client, processed):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/dons/lots/{processed.pk}/").status_code == 200
        return len(queries)

    count()  # the first request of a process fills the site and navigation caches
    before = count()
    for _n in range(60):
        device = DeviceFactory(lot=processed, workshop=processed.workshop, handed_over=True)
        ErasureRecordFactory(ssd=True, device=device)
    assert count() == before


def test_the_report_api_lists_every_serial_and_impact_with_its_method(api_client, client, processed):
    body = api_client.get(f"/api/v1/lots/{processed.pk}/report").json()

    by_serial = {device["serial"]: device for device in body["devices"]}
    assert by_serial["SN-REUSED"]["outcome"] == {
        "kind": "reused",
        "department": "93",
        "channel": "",
        "label": "Remis à un foyer ou une association du département 93",
    }
    assert by_serial["SN-REUSED"]["erasure"]["media_count"] == 2
    assert by_serial["SN-RECYCLED"]["outcome"]["channel"] == "Ecologic"
    assert body["impact"]["method"] == "ademe-arcep-2022"
    assert body["impact"]["co2e_kg"] == pytest.approx(182.6 + 85.1)
    assert body["impact"]["weee_kg"] == pytest.approx(2.0)  # 1.83 + 0.151, rounded
    restart = api_client.get(f"/api/v1/lots/{processed.pk}/report", method="restart-2021").json()["impact"]
    assert restart["co2e_kg"] == pytest.approx(132.5 + 25.25, abs=0.06)
    assert restart["method_version"] == "2021"


def test_the_factor_file_names_both_methods_with_sources():
    sets = impact.factor_sets()
    assert sets["default"] in sets["methods"]
    for method in sets["methods"].values():
        assert method["source"] and method["version"]
        assert {"laptop", "desktop", "tablet", "smartphone", "monitor"} <= method["factors"].keys()


def test_the_certificate_lists_every_medium_with_code_hash_and_qr_on_each_page(client, processed):
    for index in range(60):  # enough media for several pages
        ErasureRecordFactory(
            ssd=True, device=Device.objects.get(serial="SN-PARTS"), media_serial=f"BULK-{index:03d}"
        )
    response = client.get(f"/dons/lots/{processed.pk}/certificat.pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    certificate = ErasureCertificate.objects.get()
    assert certificate.media_count == 64
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    text = ""
    for page in reader.pages:
        page_text = page.extract_text()
        assert certificate.code in page_text
        assert certificate.content_hash in page_text
        assert f"/dons/certificats/{certificate.code}/" in page_text
        text += page_text
    text = " ".join(text.split())
    for serial in ("MEDIA-1", "MEDIA-2", "MEDIA-3", "MEDIA-4", "BULK-059"):
        assert serial in text
    assert "NIST SP 800-88 Purge" in text and "NIST SP 800-88 Destroy" in text
    assert "nwipe 0.37" in text and "SN-REUSED" in text

    # Asking again without new erasures gives the same certificate.
    client.get(f"/dons/lots/{processed.pk}/certificat.pdf")
    assert ErasureCertificate.objects.count() == 1

    client.logout()
    page = client.get(f"/dons/certificats/{certificate.code}/").content.decode()
    assert "Ce certificat a bien été émis par Rebond et son contenu est intact." in page
    assert certificate.content_hash in page
    assert client.get("/dons/certificats/XXXX-XXXX-XXXX/").status_code == 404


def test_a_tampered_certificate_is_not_confirmed(client, processed):
    client.get(f"/dons/lots/{processed.pk}/certificat.pdf")
    certificate = ErasureCertificate.objects.get()
    certificate.content["media"][0]["serial"] = "FORGED"
    certificate.save()

    page = client.get(f"/dons/certificats/{certificate.code}/").content.decode()
    assert 'data-verified="no"' in page


def test_exports_list_outcomes_and_neutralise_formulas(client, processed):
    response = client.get(f"/dons/lots/{processed.pk}/devenir.csv")
    assert response.streaming  # a fleet's file is sent as its rows are read, never held whole
    rows = outcome_rows(response)
    by_serial = {row[0]: row for row in rows[1:]}

    assert rows[0][0] == "numero_de_serie" and len(rows) == 6
    assert by_serial["SN-REUSED"][11] == "Remis à un foyer ou une association du département 93"
    assert "'=CMD|calc" in by_serial
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/dons/lots/{processed.pk}/devenir.xlsx").content)
    )
    values = [cell.value for cell in workbook.active["A"]]
    assert "'=CMD|calc" in values and "SN-RECYCLED" in values
    assert all(
        not str(cell.value).startswith("=")
        for row in workbook.active.iter_rows()
        for cell in row
        if cell.value
    )


def test_impact_report_page_names_method_version_and_the_other_method(client, processed):
    page = client.get(f"/dons/lots/{processed.pk}/impact/").content.decode()
    assert "267.7 kg" in page or "267,7 kg" in page
    assert "version 2022.1" in page
    assert "The Restart Project" in page


def test_a_zero_net_book_value_gets_no_receipt_but_says_why(client, processed):
    page = client.get(f"/dons/lots/{processed.pk}/recu-fiscal/").content.decode()
    assert 'data-receipt-status="zero_value"' in page
    assert "aucun reçu fiscal n’est émis" in page
    response = client.post(f"/dons/lots/{processed.pk}/recu-fiscal/", {"legal_form": "SA"})
    assert "aucun reçu fiscal n’est émis" in response.content.decode()
    assert TaxReceipt.objects.count() == 0


def test_a_receipt_is_issued_at_the_declared_net_book_value(client, processed):
    processed.items.filter(serial="SN-REUSED").update(net_book_value_cents=12050)
    processed.items.filter(serial="SN-PHONE").update(net_book_value_cents=3000)
    client.post(f"/dons/lots/{processed.pk}/recu-fiscal/", {"legal_form": "SAS"})
    receipt = TaxReceipt.objects.get()
    page = client.get(f"/dons/lots/{processed.pk}/recu-fiscal/").content.decode()

    assert receipt.amount_cents == 15050
    assert "150,50\u00a0€" in page and "cent cinquante euros et cinquante centimes" in page
    assert processed.donor.siret[:9] in page and "SAS" in page and processed.workshop.name in page


def test_the_receipt_is_dated_the_day_the_workshop_collected_the_gift(client, processed):
    import time_machine
    from django.utils import timezone

    from donations.enums import LotStatus
    from donations.models import LotEvent

    processed.items.update(net_book_value_cents=1000)
    collected_on = timezone.now() - timezone.timedelta(days=40)
    with time_machine.travel(collected_on, tick=False):
        LotEvent.record(
            subject=processed,
            actor=processed.created_by,
            previous=LotStatus.ACCEPTED,
            to=LotStatus.COLLECTED,
        )
    client.post(f"/dons/lots/{processed.pk}/recu-fiscal/", {"legal_form": "SAS"})
    assert TaxReceipt.objects.get().content["date"] == timezone.localdate(collected_on).isoformat()


def test_no_receipt_when_the_workshop_may_not_issue_one(client):
    workshop, _ = workshop_with_member(may_issue_tax_receipts=False)
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    LotItemFactory(lot=lot, net_book_value_cents=5000)
    client.force_login(user)
    assert (
        'data-receipt-status="not_eligible"'
        in client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    )


def test_the_dashboard_shows_lots_devices_by_status_impact_and_an_svg_chart(client, processed):
    page = client.get("/dons/").content.decode()
    assert 'data-role-page="donor"' in page
    assert processed.title in page
    assert re.search(r"<svg[^>]*role=\"img\"", page)
    assert "<rect" in page and "Remis" in page
    assert "Appareils réemployés" in page and "ADEME" in page


def test_signing_in_as_a_donor_lands_on_the_dashboard(client, processed):
    response = client.get("/compte/espace/")
    assert response.url == "/dons/"


def test_the_public_impact_page_needs_no_account(client, processed):
    client.logout()
    page = client.get("/dons/impact/").content.decode()
    assert "Impact du réemploi solidaire" in page
    assert "<svg" in page and "Appareils réemployés" in page
    assert ">93<" in page and ">75<" in page
