"""Private files reach only those who may read all of them.

A workshop's wiping station often erases the drives of several lots at once, and its original report (nwipe,
ShredOS) names every drive it wiped, with its serial. The donor of one of those lots downloads the original
report only when every erasure it records is of that lot: otherwise it would read the serials of another
donor's devices. The donor keeps the per-medium proof on its lot's page and certificate; the workshop that
imported the report keeps the file.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from inventory.models import ErasureReport, StorageMediumRecord
from reuse.aftercare.services import tickets
from tests import fixtures
from tests.aftercare.helpers import handed_over
from tests.factories.accounts import member_of
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory, WorkshopProfileFactory
from tests.inventory.bench_samples import declared_before_samples, imported

pytestmark = pytest.mark.django_db
programme = fixtures.programme


def device_with_disk(workshop, lot, disk):
    device = DeviceFactory(workshop=workshop, lot=lot, type="desktop", media_count=1, cpu="", ram_gb=None)
    StorageMediumRecord.objects.create(device=device, serial=disk)
    return device


def test_a_report_covering_two_donors_lots_is_downloaded_by_neither_donor(client):
    workshop = WorkshopProfileFactory(recycles=True, organisation__department="93").organisation
    technician = member_of(workshop)
    lots = [declared_before_samples(LotFactory(workshop=workshop, received=True)) for _ in range(2)]
    device_with_disk(workshop, lots[0], "ZA4ABCD1")
    device_with_disk(workshop, lots[1], "WD-WCC6Y0ABCDEF")
    imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")
    report = ErasureReport.objects.get()
    assert report.records.count() == 2

    for lot in lots:
        client.force_login(member_of(lot.donor))
        assert client.get(f"/dons/lots/{lot.pk}/rapports/{report.pk}/").status_code == 404
        page = client.get(f"/dons/lots/{lot.pk}/").content.decode()
        assert f"/rapports/{report.pk}/" not in page
    client.force_login(technician)
    assert client.get(f"/atelier/rapports/{report.pk}/fichier/").status_code == 200


def assert_served_privately(response, *, inline: bool):
    """A private file: downloaded (or shown, for a photo or a PDF Rebond re-wrote), never kept by a cache, never
    read as another type, never run as a page."""
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;" if inline else "attachment;"), disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_an_erasure_report_is_a_download_no_cache_keeps(client):
    workshop = WorkshopProfileFactory(recycles=True, organisation__department="93").organisation
    technician = member_of(workshop)
    lot = declared_before_samples(LotFactory(workshop=workshop, received=True))
    device_with_disk(workshop, lot, "ZA4ABCD1")
    device_with_disk(workshop, lot, "WD-WCC6Y0ABCDEF")
    imported(workshop, technician, "nwipe_optiplex_7060.log", level="clear")
    report = ErasureReport.objects.get()
    client.force_login(technician)
    assert_served_privately(client.get(f"/atelier/rapports/{report.pk}/fichier/"), inline=False)
    client.force_login(member_of(lot.donor))
    assert_served_privately(client.get(f"/dons/lots/{lot.pk}/rapports/{report.pk}/"), inline=False)


def test_a_warranty_photo_is_shown_only_as_the_photo_rebond_rewrote(client, programme):
    claim, _tech = handed_over()
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(photo, "JPEG")
    ticket = tickets.open_ticket(
        actor=claim.beneficiary,
        claim_id=claim.pk,
        description="Batterie",
        photo=SimpleUploadedFile("IMG_0001.jpg", photo.getvalue(), content_type="image/jpeg"),
    )
    client.force_login(claim.beneficiary)
    response = client.get(reverse("aftercare:ticket_photo", args=[ticket.pk]))
    assert_served_privately(response, inline=True)
    assert response["Content-Type"] == "image/jpeg"
