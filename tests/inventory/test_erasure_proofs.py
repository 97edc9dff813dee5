"""What an erasure report proves, as the donor's DPO reads it on the certificate: the NIST SP 800-88 level the
method reached (never the one the technician would have liked), a date that has come, and one drive in one device.
The files are the samples of tests/data/bench/, written as nwipe, eReuse Workbench and the JSON report write them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from donations.models import Lot
from inventory.forms import ReportImportForm
from inventory.models import ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.services.erasures import record_erasure
from reuse.accounts.services import issue_api_token
from tests.factories.inventory import DeviceFactory
from tests.inventory.bench_samples import imported, json_sample, sample, uploaded_json

pytestmark = pytest.mark.django_db


# --- the level is the method's ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, device",
    [
        # nwipe 0.35's log (DoD Short, verified): an overwrite from the computer, NIST SP 800-88 Clear.
        ("nwipe_optiplex_7060.log", "optiplex"),
        # eReuse Workbench 11's EraseSectors (zeros then random, checked by badblocks): an overwrite too.
        ("ereuse_workbench_snapshot.json", "acer"),
    ],
)
@pytest.mark.parametrize("level", ["", "purge"])
def test_an_overwrite_is_recorded_as_clear_whatever_level_the_technician_picked(
    workshop, technician, fleet, name, device, level
):
    outcomes = imported(workshop, technician, name, level=level)

    assert all(outcome.ok for outcome in outcomes), [outcome.message for outcome in outcomes]
    assert set(ErasureRecord.objects.filter(device=fleet[device]).values_list("method", flat=True)) == {
        "clear"
    }


def test_a_report_is_never_recorded_as_a_destruction_on_the_technicians_word(workshop, technician, fleet):
    # The JSON report does not state its level: before, « destroy » chosen at import printed « Destruction » on the
    # certificate of a drive that was only written over (and a verified « destroy » clears a failing drive).
    document = json_sample("erasure_report.json")
    del document["media"][0]["nist_level"]
    imported(workshop, technician, "lshw_elitebook_840.json")

    [outcome] = uploaded_json(workshop, technician, document, level="destroy")

    assert not outcome.ok
    assert outcome.message.startswith("Un rapport d’effacement ne prouve pas une destruction")
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()
    assert "destroy" not in dict(ReportImportForm().fields["level"].choices)


# --- one drive, one device ----------------------------------------------------------------------------------


def test_a_drive_of_one_device_is_not_recorded_erased_on_another(workshop, technician, fleet):
    # The T480's SSD is known (its smartctl), and its nwipe certificate (System S/N PF1ABCDE) is sent from the page
    # of a device whose serial is not known yet: before, the drive was erased on both, each listable with it.
    imported(workshop, technician, "smartctl_thinkpad_t480.json", device=fleet["t480"])
    unknown = DeviceFactory(workshop=workshop, lot=fleet["lot"], serial="", brand="Lenovo", model="ThinkPad")

    [outcome] = imported(workshop, technician, "nwipe_certificate_t480.pdf", device=unknown, level="clear")

    assert not outcome.ok
    assert outcome.message.startswith(
        f"Le support S3Z1NB0K512345A est déjà celui de l’appareil {fleet['t480'].asset_tag} de votre stock"
    )
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()
    assert not StorageMediumRecord.objects.filter(device=unknown).exists()


def test_a_drive_erased_on_one_device_page_is_refused_on_another(workshop, technician, fleet):
    # Neither device's media known: the first import ties the drive to the T480, the second device is refused.
    imported(workshop, technician, "nwipe_certificate_t480.pdf", device=fleet["t480"], level="clear")
    unknown = DeviceFactory(workshop=workshop, lot=fleet["lot"], serial="", brand="Lenovo", model="ThinkPad")
    document = json_sample("erasure_report.json")
    document.pop("host_serial")
    document["media"][0]["serial"] = "S3Z1NB0K512345A"

    [outcome] = uploaded_json(workshop, technician, document, device=unknown)

    assert not outcome.ok and "déjà celui de l’appareil" in outcome.message
    assert list(ErasureRecord.objects.values_list("device", flat=True)) == [fleet["t480"].pk]


# --- a date that has come -----------------------------------------------------------------------------------


def test_a_drive_the_report_dates_in_the_future_is_set_aside_and_the_others_recorded(
    workshop, technician, fleet
):
    imported(workshop, technician, "lshw_elitebook_840.json")
    ahead = timezone.now() + timedelta(days=40)
    document = json_sample("erasure_report.json")
    future = {**document["media"][0], "serial": "S4ELNX0N999999", "finished": ahead.isoformat()}
    document["media"].append(future)

    [outcome] = uploaded_json(workshop, technician, document)

    assert "support n° 2" in outcome.message
    assert f"date son effacement du {timezone.localtime(ahead):%d/%m/%Y}" in outcome.message
    assert list(ErasureRecord.objects.values_list("media_serial", flat=True)) == ["S4ELNX0N123456"]


def test_an_nwipe_log_dated_ahead_of_today_records_nothing(workshop, technician, fleet):
    # A bench whose clock runs a year ahead, or a log edited by hand: the date printed on the certificate would be
    # one that has not come. Before, it was silently replaced by the moment of the import.
    year = timezone.now().year + 1
    log = sample("nwipe_optiplex_7060.log").replace(
        b"[2026/02/24 15:11:03] Total Throughput", f"[{year}/02/24 15:11:03] Total Throughput".encode()
    )

    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="nwipe.log", data=log, level="clear"
    )

    assert not outcome.ok and f"date son effacement du 24/02/{year}" in outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


# --- one serial, one drive ----------------------------------------------------------------------------------


@pytest.mark.parametrize("failed", ["sda", "sdb"])
def test_two_drives_of_one_run_giving_one_serial_are_set_aside_whichever_failed(
    workshop, technician, fleet, failed
):
    # Two drives behind USB bridges that report one serial: nwipe's log names both with it (« Found /dev/sdX, …,
    # S/N=… » and the Drive Status row). Before, whichever was recorded last decided, a failed drive hidden by the
    # other's success.
    log = (
        sample("nwipe_optiplex_7060.log")
        .replace(b"S/N=WD-WCC6Y0ABCDEF", b"S/N=ZA4ABCD1")
        .replace(b"WDC WD10EZEX-08W/WD-WCC6Y0ABCDEF", b"WDC WD10EZEX-08W/ZA4ABCD1")
        .replace(f"{failed} | Erased |".encode(), f"{failed} |-FAILED-|".encode())
    )

    [outcome] = reports.import_upload(workshop=workshop, actor=technician, filename="nwipe.log", data=log)

    assert not outcome.ok
    assert "support n° 1" in outcome.message and "support n° 2" in outcome.message
    assert "le même numéro de série ZA4ABCD1" in outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


# --- after the donation -------------------------------------------------------------------------------------


def test_a_verified_erasure_older_than_the_donation_is_set_aside(workshop, technician, fleet):
    # The OptiPlex's nwipe log of an earlier refurbishment, kept with the machine: the donor used it for years
    # after, and the drives hold what the donor wrote. Before, the old log made the device listable.
    Lot.objects.filter(pk=fleet["lot"].pk).update(created=timezone.now() - timedelta(days=3))

    [outcome] = imported(workshop, technician, "nwipe_optiplex_7060.log")

    assert not outcome.ok
    assert "le rapport date son effacement du 24/02/2026, avant le don" in outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


# What the technician types of an erasure, besides the drive's serial.
TYPED = {"method": "purge", "tool": "nwipe", "tool_version": "0.37"}


def _typed_on(client, device, serial, verified=True):
    """The technician types the drive's erasure in the device page's form."""
    fields = {**TYPED, "media_serial": serial, "media_type": "ssd"}
    return client.post(
        reverse("inventory:device_erasure", args=[device.asset_tag]),
        {**fields, "verified": "on"} if verified else fields,
        follow=True,
    )


def test_a_drive_erased_on_one_device_is_refused_by_hand_on_another(
    bench_client, api_client, workshop, technician, fleet
):
    # The report path checked it, the form and the API did not: the T480's drive typed on another device's page
    # was recorded there too, and printed on two certificates.
    imported(workshop, technician, "nwipe_certificate_t480.pdf", device=fleet["t480"], level="clear")
    other = fleet["optiplex"]

    page = _typed_on(bench_client, other, "s3z1nb0k512345a").content.decode()

    assert "Le support s3z1nb0k512345a est déjà celui de l’appareil" in page
    answer = api_client.with_token(issue_api_token(user=technician)).post(
        f"/api/v1/devices/{other.pk}/erasure",
        {**TYPED, "media_serial": "S3Z1NB0K512345A", "verified": True},
    )
    assert answer.status_code == 422 and answer.json()["code"] == "medium_elsewhere", answer.json()
    assert f"l’appareil {fleet['t480'].asset_tag} de votre stock" in answer.json()["detail"]
    assert list(ErasureRecord.objects.values_list("device", flat=True)) == [fleet["t480"].pk]


def test_the_same_drive_is_erased_again_on_its_own_device_and_in_another_workshop(
    bench_client, workshop, technician, fleet, other_workshop
):
    # A failed pass then a verified one on the same device are two records of one drive, not two devices.
    imported(workshop, technician, "nwipe_certificate_t480.pdf", device=fleet["t480"], level="clear")
    _typed_on(bench_client, fleet["t480"], "S3Z1NB0K512345A", verified=False)
    _typed_on(bench_client, fleet["t480"], "S3Z1NB0K512345A")
    elsewhere = DeviceFactory(workshop=other_workshop)
    record_erasure(
        device=elsewhere, operator=technician, media_serial="S3Z1NB0K512345A", verified=True, **TYPED
    )

    assert ErasureRecord.objects.filter(device=fleet["t480"]).count() == 3
    assert ErasureRecord.objects.filter(device=elsewhere).count() == 1
