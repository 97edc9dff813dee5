"""Private files reach only those who may read all of them.

A workshop's wiping station often erases the drives of several lots at once, and its original report (nwipe,
ShredOS) names every drive it wiped, with its serial. The donor of one of those lots downloads the original
report only when every erasure it records is of that lot: otherwise it would read the serials of another
donor's devices. The donor keeps the per-medium proof on its lot's page and certificate; the workshop that
imported the report keeps the file.
"""

import pytest

from inventory.models import ErasureReport, StorageMediumRecord
from tests.factories.accounts import member_of
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory, WorkshopProfileFactory
from tests.inventory.bench_samples import imported

pytestmark = pytest.mark.django_db


def device_with_disk(workshop, lot, disk):
    device = DeviceFactory(workshop=workshop, lot=lot, type="desktop", media_count=1, cpu="", ram_gb=None)
    StorageMediumRecord.objects.create(device=device, serial=disk)
    return device


def test_a_report_covering_two_donors_lots_is_downloaded_by_neither_donor(client):
    workshop = WorkshopProfileFactory(recycles=True, organisation__department="93").organisation
    technician = member_of(workshop)
    lots = [LotFactory(workshop=workshop, received=True) for _ in range(2)]
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
