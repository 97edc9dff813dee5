"""nwipe 0.41+ writes, beside one certificate per drive, a "System Erasure Report" of the whole run: every drive of
the run in one PDF (src/create_system_multi_disc_pdf.c), drawn here by tests/data/bench/make_nwipe_pdf.py with
nwipe's own labels, fonts and places. Each drive is matched by its serial, and only a drive nwipe says ERASED,
verified and without errors counts as erased.
"""

import hashlib
from unittest import mock

import pytest

from inventory.enums import DeviceState
from inventory.models import ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import apply
from inventory.reports import uploads as reports
from inventory.reports.nwipe_pdf import parse_nwipe_pdf
from tests.factories.inventory import ErasureReportFactory
from tests.inventory.bench_samples import nwipe_writer

writer = nwipe_writer()

# A bench run over four loose drives: one erased, one whose verification failed, one the technician aborted, and
# a fourth erased drive, drawn on the report's second page (a page holds three blocks under the customer's).
RUN = [
    {"serial": "S3Z1NB0K512345A"},
    {
        "serial": "WD-WCC4N0123456",
        "model": "WDC WD5000LPLX-00ZNTT0",
        "status": "FAILED",
        "errors": "0/0/12",
        "rounds": "0/1",
    },
    {
        "serial": "Z9A1B2C3",
        "model": "ST500LM021-1KJ152",
        "status": "ABORTED",
        "rounds": "0/1",
        "bytes": "12345678016, (2.47%)",
    },
    {"serial": "S4ELNX0N654321", "model": "Samsung SSD 970 EVO Plus 1TB", "size": "1TB,1000204886016b"},
]


def _import(workshop, technician, data, name="nwipe_system_report.pdf"):
    return reports.import_upload(workshop=workshop, actor=technician, filename=name, data=data, level="clear")


def _stock(fleet):
    """The four drives, known as the media of the devices they came out of."""
    owners = {
        "S3Z1NB0K512345A": fleet["t480"],
        "WD-WCC4N0123456": fleet["elitebook"],
        "Z9A1B2C3": fleet["latitude"],
        "S4ELNX0N654321": fleet["acer"],
    }
    for serial, device in owners.items():
        StorageMediumRecord.objects.create(device=device, serial=serial)
    return owners


def test_every_drive_of_a_system_report_is_read_with_its_own_status():
    report = parse_nwipe_pdf(writer.system_report(RUN))

    assert [(entry.serial, entry.succeeded, entry.ok) for entry in report.entries] == [
        ("S3Z1NB0K512345A", True, True),
        ("WD-WCC4N0123456", False, False),
        ("Z9A1B2C3", False, False),
        ("S4ELNX0N654321", True, True),
    ]
    first = report.entries[0]
    assert (first.model, first.method, first.passes, first.capacity_gb) == (
        "Samsung SSD 860 EVO 500GB",
        "PRNG Stream",
        2,
        500,
    )
    assert report.entries[3].capacity_gb == 1000
    assert (report.tool_version, report.host_serial) == ("0.41", "PF1ABCDE")


@pytest.mark.parametrize(
    "drive",
    [
        pytest.param(
            {"warning": True, "hpa": "Hidden sectors found!", "hpa_size": "2048 sectors"}, id="hidden"
        ),
        pytest.param({"verify": "None"}, id="not_verified"),
        pytest.param({"bytes": "500107853824, (99.99%)"}, id="short"),
        pytest.param({"status": "INSANITY"}, id="insanity"),
    ],
)
def test_a_system_report_drive_erased_with_a_doubt_is_not_verified(drive):
    [entry] = parse_nwipe_pdf(writer.system_report([drive])).entries

    assert not entry.ok


def test_nwipe_042_retries_make_an_erasure_unverified_in_both_certificates():
    # 0.42 adds the I/O retries to the errors ("Errors(pass/sync/verify/retries):", "0/0/0/3") and shows ERASED
    # with nwipe's warning icon when a drive needed some.
    [clean, retried] = parse_nwipe_pdf(
        writer.system_report([{}, {"serial": "S4ELNX0N654321", "errors": "0/0/0/3"}], version="0.42")
    ).entries
    rows = [
        ("Errors(pass/sync/verify/retries):" if label.startswith("Errors") else label, x, y, value, vx)
        for label, x, y, value, vx in writer.FIELDS
    ]
    one = [
        (label, x, y, "0/0/0/2" if label.startswith("Errors") else value, vx)
        for label, x, y, value, vx in rows
    ]
    [single] = parse_nwipe_pdf(writer.certificate(one)).entries

    assert (clean.ok, retried.ok, retried.succeeded, single.ok) == (True, False, True, False)
    # The technician reads what they were: retries, not write errors.
    assert single.doubt == "2 nouvelle(s) tentative(s) d’entrée-sortie sur le disque"


def test_a_system_report_records_each_drive_on_its_own_device(workshop, technician, fleet):
    owners = _stock(fleet)

    [outcome] = _import(workshop, technician, writer.system_report(RUN))

    records = {record.media_serial: record for record in ErasureRecord.objects.all()}
    assert {serial: (record.device, record.verified) for serial, record in records.items()} == {
        "S3Z1NB0K512345A": (owners["S3Z1NB0K512345A"], True),
        "WD-WCC4N0123456": (owners["WD-WCC4N0123456"], False),
        "Z9A1B2C3": (owners["Z9A1B2C3"], False),
        "S4ELNX0N654321": (owners["S4ELNX0N654321"], True),
    }
    assert not outcome.ok
    assert (
        "WD-WCC4N0123456 (nwipe le dit en échec (« FAILED »), 12 erreur(s) de vérification" in outcome.message
    )
    assert "Z9A1B2C3 (effacement interrompu par l’opérateur avant la fin (« ABORTED »)" in outcome.message


@pytest.mark.parametrize(
    "host",
    [
        pytest.param("BENCH-PC-01", id="a_bench_not_in_stock"),
        # The machine that ran nwipe is a device of the stock, but the run wiped drives of other devices too:
        # a drive no device is known to hold is no proof of being that machine's.
        pytest.param("PF1ABCDE", id="a_device_of_the_stock"),
    ],
)
def test_a_system_report_naming_a_drive_not_in_stock_writes_nothing_and_names_it(
    workshop, technician, fleet, other_workshop, host
):
    _stock(fleet)
    StorageMediumRecord.objects.filter(serial="Z9A1B2C3").delete()
    # The drive is another workshop's: its device is neither found nor touched.
    theirs = fleet["latitude"].__class__.objects.create(
        workshop=other_workshop, lot=fleet["lot"], serial="OTHER1", asset_tag="RB-OTHER-1"
    )
    StorageMediumRecord.objects.create(device=theirs, serial="Z9A1B2C3")

    [outcome] = _import(workshop, technician, writer.system_report(RUN, host_serial=host))

    assert not outcome.ok
    assert "Aucun appareil de votre stock n’a le support Z9A1B2C3" in outcome.message
    assert not ErasureRecord.objects.exists()
    assert not ErasureReport.objects.exists()
    assert list(theirs.media.values_list("serial", flat=True)) == ["Z9A1B2C3"]


def test_the_same_system_report_twice_records_its_drives_once(workshop, technician, fleet):
    _stock(fleet)
    data = writer.system_report(RUN)
    _import(workshop, technician, data)

    [again] = _import(workshop, technician, data, name="copie.pdf")

    assert not again.ok
    assert "déjà été importé" in again.message
    assert ErasureRecord.objects.count() == 4


def test_the_same_report_sent_twice_at_once_is_refused_not_a_server_error(workshop, technician, fleet):
    # Two clicks: the second request checks « already imported? » before the first one has committed; when it
    # writes its own copy, the first one's is there and the one-report-per-workshop rule refuses it.
    _stock(fleet)
    data = writer.system_report(RUN)
    checks = [None]
    real = apply._previous_import

    def first_one_commits_meanwhile(*args):
        if checks:
            ErasureReportFactory(workshop=workshop, sha256=hashlib.sha256(data).hexdigest())
            return checks.pop()
        return real(*args)

    with mock.patch.object(apply, "_previous_import", side_effect=first_one_commits_meanwhile):
        [again] = _import(workshop, technician, data, name="copie.pdf")

    assert not again.ok
    assert "déjà été importé" in again.message
    assert not ErasureRecord.objects.exists()


def test_a_system_report_for_a_listed_device_changes_nothing(workshop, technician, fleet):
    owners = _stock(fleet)
    listed = owners["S4ELNX0N654321"]
    listed.__class__.objects.filter(pk=listed.pk).update(state=DeviceState.LISTED, price_cents=5000)

    [outcome] = _import(workshop, technician, writer.system_report(RUN))

    assert not outcome.ok
    assert listed.asset_tag in outcome.message
    assert not ErasureRecord.objects.exists()


def test_nwipes_report_folder_records_each_drive_once(workshop, technician, fleet):
    # nwipe 0.41 writes, for one run, a certificate per drive and the system report: the workshop zips the folder.
    # The same erasure told by two files is recorded once; the file that adds nothing says so.
    import io
    import zipfile

    _stock(fleet)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("nwipe_report_S3Z1NB0K512345A.pdf", writer.certificate())
        archive.writestr("nwipe_system_report.pdf", writer.system_report(RUN))
        archive.writestr("nwipe_system_report_copie.pdf", writer.system_report(RUN[:1]))

    outcomes = {o.filename: o for o in _import(workshop, technician, buffer.getvalue(), name="rapports.zip")}

    assert sorted(ErasureRecord.objects.values_list("media_serial", flat=True)) == [
        "S3Z1NB0K512345A",
        "S4ELNX0N654321",
        "WD-WCC4N0123456",
        "Z9A1B2C3",
    ]
    assert outcomes["nwipe_report_S3Z1NB0K512345A.pdf"].ok
    assert "3 effacement(s) enregistré(s)" in outcomes["nwipe_system_report.pdf"].message
    copy = outcomes["nwipe_system_report_copie.pdf"]
    assert not copy.ok and "déjà enregistré" in copy.message and "S3Z1NB0K512345A" in copy.message
