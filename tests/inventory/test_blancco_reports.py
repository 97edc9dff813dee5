"""Blancco Drive Eraser's XML report, imported on the bench like nwipe's log.

tests/data/bench/blancco_optiplex_7060.xml is laid out as the integrations that read these reports find them
(Blancco Management Console exports and station reports: « root/report/blancco_data », the erasures as
« entries[@name=erasure] » of « blancco_erasure_report/entries[@name=erasures] » with their « target » drive, the
machine in « blancco_hardware_report/entries[@name=system] », the product in « description »); its values are
those of the OptiPlex of the nwipe sample: one HDD erased (« Successful »), one whose erasure « Failed ».
Blancco's own public documentation describes the verification (an erasure is reported failed when the read-back
finds a missing pattern), not the XML: the layout is that of public readers of real reports. The erasure's counts
(« failed_sectors », « total_errors », « firmware_rounds ») are those public exporters of Blancco-style reports
write beside « state »; « remapped_sectors » is the drive's count of retired sectors Blancco's reports list.
"""

import pytest

from inventory.models import ErasureRecord, ErasureReport
from inventory.reports import uploads as reports
from inventory.services.devices import price_and_list
from reuse.errors import IllegalTransition
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory
from tests.inventory.bench_samples import declared_before_samples, imported, sample

pytestmark = pytest.mark.django_db


def test_a_blancco_report_records_each_drive_with_its_nist_level_and_result(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "blancco_optiplex_7060.xml")

    assert not outcome.ok and "Sans vérification réussie : ZA4ABCD1" in outcome.message, outcome.message
    records = ErasureRecord.objects.filter(device=fleet["optiplex"]).order_by("media_serial")
    assert [
        (r.media_serial, r.media_make, r.method, r.passes, r.verified, r.tool, r.tool_version, r.notes)
        for r in records
    ] == [
        (
            "WD-WCC6Y0ABCDEF",
            "Western Digital",
            "clear",
            1,
            True,
            "Blancco Drive Eraser",
            "7.9.0",
            "NIST 800-88 Clear",
        ),
        ("ZA4ABCD1", "Seagate", "clear", 1, False, "Blancco Drive Eraser", "7.9.0", "NIST 800-88 Clear"),
    ]
    assert records[0].performed_at.isoformat() == "2026-02-24T10:03:02+00:00"
    assert ErasureReport.objects.get().filename == "blancco_optiplex_7060.xml"


def _first_erasure_with(entries: str) -> bytes:
    """The sample, its first (« Successful ») erasure also stating `entries`."""
    data = sample("blancco_optiplex_7060.xml").decode()
    anchor = '<entry name="firmware_rounds" type="uint">0</entry>'
    return data.replace(anchor, anchor + entries, 1).encode()


@pytest.mark.parametrize(
    ("entries", "verified"),
    [
        pytest.param('<entry name="remapped_sectors" type="uint">0</entry>', True, id="no_remapped_sector"),
        pytest.param('<entry name="remapped_sectors" type="uint">24</entry>', False, id="remapped_sectors"),
        pytest.param('<entry name="failed_sectors" type="uint">3</entry>', False, id="failed_sectors"),
        pytest.param('<entry name="total_errors" type="uint">1</entry>', False, id="errors"),
    ],
)
def test_a_successful_erasure_that_left_sectors_unwritten_is_not_verified(
    workshop, technician, fleet, entries, verified
):
    # A drive's retired (remapped) sectors keep what they held: an overwrite never reaches them, only a firmware
    # round does. Sectors the erasure failed to write are data left too, whatever the state says.
    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="b.xml", data=_first_erasure_with(entries)
    )

    record = ErasureRecord.objects.get(media_serial="WD-WCC6Y0ABCDEF")
    assert record.verified is verified, outcome.message
    assert ErasureRecord.objects.get(media_serial="ZA4ABCD1").verified is False


def test_remapped_sectors_erased_by_a_firmware_round_are_verified(workshop, technician, fleet):
    data = _first_erasure_with('<entry name="remapped_sectors" type="uint">24</entry>').replace(
        b'"firmware_rounds" type="uint">0<', b'"firmware_rounds" type="uint">1<', 1
    )

    reports.import_upload(workshop=workshop, actor=technician, filename="b.xml", data=data)

    assert ErasureRecord.objects.get(media_serial="WD-WCC6Y0ABCDEF").verified is True


def test_a_standard_without_a_nist_level_asks_for_it(workshop, technician, fleet):
    # A firmware erasure under Blancco's own standard: its level depends on the drive, the technician says it.
    data = (
        sample("blancco_optiplex_7060.xml")
        .replace(b"NIST 800-88 Clear", b"Blancco SSD Erasure")
        .replace(b'"firmware_rounds" type="uint">0', b'"firmware_rounds" type="uint">1')
    )

    [outcome] = reports.import_upload(workshop=workshop, actor=technician, filename="b.xml", data=data)

    assert not outcome.ok and "n’indique pas le niveau NIST SP 800-88" in outcome.message
    assert not ErasureRecord.objects.exists()


def test_an_overwriting_standard_is_recorded_as_clear_whatever_the_technician_picks(
    workshop, technician, fleet
):
    # HMG IS5 Lower is one overwriting round, and the report counts no firmware round: before, « purge » chosen at
    # import was printed on the donor's certificate.
    data = sample("blancco_optiplex_7060.xml").replace(b"NIST 800-88 Clear", b"HMG Infosec Standard 5, Lower")

    reports.import_upload(workshop=workshop, actor=technician, filename="b.xml", data=data, level="purge")

    assert set(ErasureRecord.objects.values_list("method", flat=True)) == {"clear"}


def _two_machines() -> bytes:
    data = sample("blancco_optiplex_7060.xml")
    report = data[data.index(b"  <report>") : data.index(b"</root>")]
    return data.replace(b"</root>", report.replace(b"H2B7Q03", b"CZC8411ABC") + b"</root>")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (sample("blancco_optiplex_7060.xml")[:1500], "Rapport XML de Blancco illisible"),
        (_two_machines(), "plusieurs machines (numéros de série H2B7Q03, CZC8411ABC)"),
        (
            b'<?xml version="1.0"?><!DOCTYPE root [<!ENTITY a "aaaa">]><root><report><blancco_data>&a;'
            b"</blancco_data></report></root>",
            "Rapport XML de Blancco illisible",
        ),
    ],
)
def test_a_damaged_or_mixed_blancco_file_is_refused_whole(workshop, technician, fleet, data, message):
    [outcome] = reports.import_upload(workshop=workshop, actor=technician, filename="b.xml", data=data)

    assert not outcome.ok and message in outcome.message, outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


def test_a_blancco_report_exported_by_windows_in_utf16_is_read(workshop, technician, fleet):
    # A Windows export in UTF-16 with its byte order mark, CRLF line ends, and a declaration that says so.
    text = sample("blancco_optiplex_7060.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = text.replace("\n", "\r\n").encode("utf-16")

    [outcome] = reports.import_upload(workshop=workshop, actor=technician, filename="b.xml", data=data)

    assert "Sans vérification réussie : ZA4ABCD1" in outcome.message, outcome.message
    assert dict(ErasureRecord.objects.values_list("media_serial", "verified")) == {
        "WD-WCC6Y0ABCDEF": True,
        "ZA4ABCD1": False,
    }


def _purge_run_with(firmware_rounds: int, overwriting_rounds: int) -> bytes:
    """The sample, its erasures run under Blancco's « NIST 800-88 Purge » standard, with the rounds the report
    counts (« firmware_rounds », « overwriting_rounds », « total_erasure_rounds », the result fields Blancco writes
    beside « state »: the layout public readers of real Blancco reports read, see the module's docstring)."""
    return (
        sample("blancco_optiplex_7060.xml")
        .replace(b"NIST 800-88 Clear", b"NIST 800-88 Purge")
        .replace(
            b'"firmware_rounds" type="uint">0<', f'"firmware_rounds" type="uint">{firmware_rounds}<'.encode()
        )
        .replace(
            b'"overwriting_rounds" type="uint">1<',
            f'"overwriting_rounds" type="uint">{overwriting_rounds}<'.encode(),
        )
        .replace(
            b'"total_erasure_rounds" type="uint">1<',
            f'"total_erasure_rounds" type="uint">{firmware_rounds + overwriting_rounds}<'.encode(),
        )
    )


def test_a_purge_standard_whose_firmware_round_did_not_run_is_recorded_as_clear(workshop, technician, fleet):
    # NIST SP 800-88 Purge of an ATA drive is the drive's own command (Secure Erase, Sanitize, a cryptographic
    # erase); Blancco counts it in « firmware_rounds ». A « NIST 800-88 Purge » run whose firmware round did not run
    # (a frozen drive, a command the drive refused) and that only overwrote the drive reached Clear: before, the
    # standard's name was read as Purge and printed on the donor's certificate.
    reports.import_upload(
        workshop=workshop, actor=technician, filename="b.xml", data=_purge_run_with(0, 1), level="purge"
    )

    assert set(ErasureRecord.objects.values_list("method", flat=True)) == {"clear"}


def test_a_purge_standard_whose_report_counts_its_firmware_round_is_recorded_as_purge(
    workshop, technician, fleet
):
    reports.import_upload(workshop=workshop, actor=technician, filename="b.xml", data=_purge_run_with(1, 0))

    assert set(ErasureRecord.objects.values_list("method", flat=True)) == {"purge"}


def test_a_purge_standard_whose_report_counts_no_round_at_all_is_not_purge(workshop, technician, fleet):
    # Neither a firmware round nor an overwrite counted: the report proves no level, the technician says it.
    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="b.xml", data=_purge_run_with(0, 0)
    )

    assert not outcome.ok and "n’indique pas le niveau NIST SP 800-88" in outcome.message, outcome.message
    assert not ErasureRecord.objects.exists()


# The machine's drives as Blancco's hardware report lists them, beside its erasures: « blancco_hardware_report »
# holds a « disks » group with a « disk » per drive (public readers of Blancco reports read
# « blancco_data.blancco_hardware_report.disks.disk.serial » and join each disk to its erasure's target); a drive the
# technician left out of the erasure (unticked, skipped) is listed there and has no erasure.
DISKS = """<entries name="disks">
          <entries name="disk">
            <entry name="serial" type="string">WD-WCC6Y0ABCDEF</entry>
            <entry name="vendor" type="string">Western Digital</entry>
            <entry name="model" type="string">WDC WD10EZEX-08WN4A0</entry>
            <entry name="type" type="string">HDD</entry>
            <entry name="interface_type" type="string">SATA</entry>
            <entry name="capacity" type="uint">1000204886016</entry>
          </entries>
          <entries name="disk">
            <entry name="serial" type="string">ZA4ABCD1</entry>
            <entry name="vendor" type="string">Seagate</entry>
            <entry name="model" type="string">ST500DM009-2F110A</entry>
            <entry name="type" type="string">HDD</entry>
            <entry name="interface_type" type="string">SATA</entry>
            <entry name="capacity" type="uint">500107862016</entry>
          </entries>
          <entries name="disk">
            <entry name="serial" type="string">4C530001230510113485</entry>
            <entry name="vendor" type="string">SanDisk</entry>
            <entry name="model" type="string">Cruzer Blade</entry>
            <entry name="type" type="string">USB</entry>
            <entry name="interface_type" type="string">USB</entry>
            <entry name="capacity" type="uint">15631122432</entry>
          </entries>
        </entries>
      </blancco_hardware_report>"""


def _only_first_erasure_with_disks() -> bytes:
    """The sample, its second drive (ZA4ABCD1) left out of the erasure, the machine's disks listed."""
    data = sample("blancco_optiplex_7060.xml").decode()
    second = data.index('        <entries name="erasure">', data.index('<entries name="erasure">') + 1)
    data = data[:second] + data[data.index("      </entries>\n      </blancco_erasure_report>") :]
    return data.replace("      </blancco_hardware_report>", DISKS).encode()


def test_a_drive_the_report_lists_but_did_not_erase_keeps_the_device_offline(workshop, technician):
    lot = declared_before_samples(LotFactory(workshop=workshop, received=True))
    # Checked in as a one-drive tower: nothing but the report says a second drive is inside.
    tower = DeviceFactory(
        workshop=workshop, lot=lot, serial="H2B7Q03", type="desktop", media_count=1, ready=True
    )

    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="b.xml", data=_only_first_erasure_with_disks()
    )

    assert ErasureRecord.objects.get(media_serial="WD-WCC6Y0ABCDEF").verified
    assert not outcome.ok
    assert "sans l’effacer : ZA4ABCD1, ST500DM009-2F110A" in outcome.message, outcome.message
    assert tower.asset_tag in outcome.message
    # The USB stick Blancco booted from (or a stick plugged in) is not a drive of the tower.
    assert "4C530001230510113485" not in outcome.message
    with pytest.raises(IllegalTransition, match="ZA4ABCD1"):
        price_and_list(device=tower, actor=technician, price_cents=5000, grade="B")
