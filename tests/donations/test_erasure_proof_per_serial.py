"""The erasure proof per serial, as the certificate, the lot page, the export and the API give it: each medium
judged by its latest erasure (a failed pass redone and verified is erased; a medium never erased is not), every
serial of the lot on the certificate, and no failed or missing erasure ever counted as erased."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from inventory.donor_reports import certificates, outcomes
from inventory.models import Device
from tests.donations.certificate_helpers import outcome_by_serial, outcome_rows, received_lot
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(client):
    lot = received_lot(client)
    workshop, member = lot.workshop, lot.member
    earlier = timezone.now() - timedelta(hours=2)
    # Redone: its first pass failed, the second was verified. Listed and handed over, rightly.
    redone = DeviceFactory(lot=lot, workshop=workshop, serial="SN-REDONE")
    ErasureRecordFactory(
        device=redone, operator=member, media_serial="M-REDONE", verified=False, performed_at=earlier
    )
    ErasureRecordFactory(device=redone, operator=member, media_serial="M-REDONE")
    Device.objects.filter(pk=redone.pk).update(state="handed_over", grade="B", outcome_department="93")
    # Two media, only one erased: still at the workshop.
    half = DeviceFactory(lot=lot, workshop=workshop, serial="SN-HALF", state="in_repair", media_count=2)
    ErasureRecordFactory(device=half, operator=member, media_serial="M-HALF-1")
    # Its only erasure failed: sent to recycling (the channel shreds it).
    failed = DeviceFactory(lot=lot, workshop=workshop, serial="SN-FAILED", recycled=True)
    ErasureRecordFactory(device=failed, operator=member, media_serial="M-FAILED", verified=False)
    # Never erased, recycled through the WEEE channel.
    DeviceFactory(lot=lot, workshop=workshop, serial="SN-NEVER", recycled=True)
    # A screen holds no data.
    DeviceFactory(lot=lot, workshop=workshop, serial="SN-SCREEN", monitor=True, handed_over=True)
    return lot


def export_by_serial(client, lot):
    return outcome_by_serial(outcome_rows(client.get(f"/dons/lots/{lot.pk}/devenir.csv")))


def test_the_export_judges_each_medium_by_its_latest_erasure_and_counts_missing_media(client, lot):
    rows = export_by_serial(client, lot)
    assert rows["SN-REDONE"]["effacement"] == "vérifié"
    assert rows["SN-HALF"]["effacement"] != "vérifié"
    assert rows["SN-FAILED"]["effacement"] == "échec"
    assert rows["SN-NEVER"]["effacement"] == "aucun"


def test_the_api_and_the_lot_page_agree_with_the_export(api_client, client, lot):
    body = api_client.get(f"/api/v1/lots/{lot.pk}/report").json()
    by_serial = {device["serial"]: device for device in body["devices"]}
    assert by_serial["SN-REDONE"]["erasure"]["verified"] is True
    assert by_serial["SN-HALF"]["erasure"]["verified"] is False
    assert by_serial["SN-FAILED"]["erasure"]["verified"] is False
    rows = {device.serial: summary for device, summary, _outcome in outcomes.device_rows(lot)}
    assert rows["SN-REDONE"]["verified"] and not rows["SN-HALF"]["verified"]


def test_the_certificate_counts_only_verified_media_and_lists_every_serial_of_the_lot(client, lot):
    certificate = certificates.issue_certificate(lot=lot, user=lot.created_by)
    # M-REDONE (latest verified) and M-HALF-1: the failed medium and the failed first pass are not "erased".
    assert certificate.media_count == 2
    devices = {device["serial"]: device for device in certificate.content["devices"]}
    assert set(devices) == {"SN-REDONE", "SN-HALF", "SN-FAILED", "SN-NEVER", "SN-SCREEN"}
    assert devices["SN-REDONE"]["erasure"] == "verified"
    assert devices["SN-HALF"]["erasure"] == "incomplete"
    assert devices["SN-FAILED"]["erasure"] == "failed"
    assert devices["SN-NEVER"]["erasure"] == "none"
    assert devices["SN-SCREEN"]["erasure"] == "no_data"
    assert devices["SN-NEVER"]["outcome"] == "recycled" and devices["SN-NEVER"]["channel"] == "Ecologic"

    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(certificates.render_pdf(certificate))).pages
    )
    assert "2 support(s) de stockage effacé(s)" in text
    for serial in devices:
        assert serial in text
    assert "Ecologic" in text

    page = client.get(f"/dons/certificats/{certificate.code}/").content.decode()
    assert "SN-NEVER" in page and "M-REDONE" in page
