"""Device-management consoles' exports (Google Admin, Microsoft Entra ID, ServiceNow) imported unchanged, and what
these files really become on a donor's computer: Excel's re-saves, a second export pasted under the first.
The samples themselves are imported end to end by test_exports.py (tests/data/exports/, sources in
asset_tool_samples.py)."""

import csv
import io
from datetime import date

import pytest

from donations.models import LotItem
from tests.donations.export_helpers import items, job_of, sample
from tests.factories.manifests import workbook_bytes

pytestmark = pytest.mark.django_db


def test_entra_ids_device_list_is_read_and_the_report_says_what_the_donor_must_add(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("entra_id_devices.csv"), "exportDevice.csv"))

    assert (job.state, job.created_rows, job.summary["plan"]["tool"]) == ("done", 7, "entra"), job.message
    stored = sorted(LotItem.objects.filter(lot=donor_client.lot).values_list("model", "type", "serial"))
    assert stored == [
        ("HP EliteBook 840 G8 Notebook PC", "laptop", ""),
        ("Latitude 5420", "laptop", ""),
        ("MacBookAir10,1", "laptop", ""),
        ("OptiPlex 7070", "desktop", ""),
        ("SM-A536B", "smartphone", ""),
        ("iPad (9th generation)", "tablet", ""),
        ("iPhone 12", "smartphone", ""),
    ]
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert "Export reconnu : Microsoft Entra ID." in page
    assert "ne contient ni numéro de série ni fabricant" in page
    assert "Ajoutez une colonne « Numéro de série »" in page


def test_the_notice_goes_once_the_donor_added_the_serial_numbers(donor_client, upload):
    lines = sample("entra_id_devices.csv").decode("utf-8-sig").split("\r\n")
    serials = ["Numéro de série", "7KD2LM3", "5CG1287XQW", "3MF4NP5", "F2LZK0ABN72K", "DMPZ81XYZW34"]
    serials += ["R58T10FGHIJ", "C02FG3HJQ6L4"]
    content = "\r\n".join(f'{line},"{serial}"' for line, serial in zip(lines, serials, strict=False))

    job = job_of(upload(donor_client, donor_client.lot, content.encode("utf-8-sig"), "exportDevice.csv"))

    assert (job.state, job.created_rows) == ("done", 7), job.message
    assert items(donor_client.lot)["3MF4NP5"].model == "OptiPlex 7070"
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert "Export reconnu : Microsoft Entra ID." in page and "ni numéro de série" not in page


def test_a_chromeos_list_under_the_directory_apis_field_names(donor_client, upload):
    # The legacy download and GAM's « print cros » write the Directory API's field names; memory in bytes.
    content = (
        "deviceId,serialNumber,status,lastSync,annotatedUser,annotatedLocation,annotatedAssetId,notes,model,"
        "osVersion,platformVersion,orgUnitPath,systemRamTotal,manufactureDate\n"
        "0a1b2c3d-0001,5CD1234ABC,ACTIVE,2026-02-27T08:14:02.311Z,eleve01@college-exemple.fr,Salle 12,"
        "COL-CB-0001,,HP Chromebook 11 G8 EE,120.0.6099.235,15662.76.0,/Élèves/6e,8201834496,2020-11-03\n"
        "0a1b2c3d-0002,NL72A0012345,DEPROVISIONED,2025-06-30T14:12:08.512Z,,,COL-CB-0004,,CTL NL72,"
        "119.0.6045.212,15633.69.0,/Élèves/4e,4105019392,2019-07-15\n"
    )

    job = job_of(upload(donor_client, donor_client.lot, content.encode(), "cros.csv"))

    assert (job.state, job.summary["plan"]["tool"]) == ("done", "google"), job.message
    chromebook = items(donor_client.lot)["5CD1234ABC"]
    assert (chromebook.type, chromebook.asset_tag, chromebook.ram_gb, chromebook.year) == (
        "laptop",
        "COL-CB-0001",
        8,
        2020,
    )
    # The version alone says nothing; the system every device of the list runs is kept with it.
    assert chromebook.os == "ChromeOS 120.0.6099.235"
    assert items(donor_client.lot)["NL72A0012345"].type == "laptop"


def excel_resave(content: bytes, *, separator: str, encoding: str, extra_columns: int = 0) -> bytes:
    """The export opened in a French Excel and saved again: ISO dates shown and written as dd/mm/yyyy, cells
    quoted only when they must be, "\\r\\n"; « CSV UTF-8 » adds a BOM, « CSV (séparateur: point-virgule) »
    writes Windows-1252 with ";" and keeps the empty columns of a used range as trailing separators."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    for row in rows:
        cells = [f"{c[8:10]}/{c[5:7]}/{c[:4]}" if len(c) == 10 and c[4] == c[7] == "-" else c for c in row]
        writer.writerow(cells + [""] * extra_columns)
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize(
    "separator,encoding,extra_columns",
    [(",", "utf-8-sig", 0), (";", "cp1252", 3)],
    ids=["csv-utf-8", "csv-point-virgule"],
)
def test_excels_resaves_of_an_export_import_like_the_export(
    donor_client, upload, separator, encoding, extra_columns
):
    original = sample("servicenow_alm_hardware.csv")
    content = excel_resave(original, separator=separator, encoding=encoding, extra_columns=extra_columns)

    job = job_of(upload(donor_client, donor_client.lot, content, "alm_hardware.csv"))

    assert (job.state, job.created_rows, job.error_count) == ("done", 5, 0), (job.message, job.errors[:3])
    assert job.summary["plan"]["tool"] == "servicenow"
    stored = {serial: (i.type, i.asset_tag, i.year, i.model) for serial, i in items(donor_client.lot).items()}
    assert stored["4X7K2L2"] == ("laptop", "P1000123", 2019, "Dell Inc. Latitude 5490")
    assert stored["CN4123ABCD"] == ("monitor", "P1000126", 2020, "HP E24 G4 FHD Monitor")


def test_a_second_export_pasted_under_the_first_has_its_header_skipped_and_said(donor_client, upload):
    lines = sample("google_admin_chromeos_devices.csv").decode("utf-8").splitlines()
    # Two downloads (two organisational units) pasted one under the other, a blank line between them.
    content = "\n".join([*lines[:4], ",,,", lines[0], *lines[4:]]) + "\n"

    job = job_of(upload(donor_client, donor_client.lot, content.encode(), "chromebooks.csv"))

    assert (job.state, job.created_rows, job.error_count) == ("done", 7, 0), (job.message, job.errors[:3])
    assert job.summary["repeated_headers"] == [6]
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert "En-têtes répétés ignorés (ce n’est pas un appareil) : ligne 6." in page


def test_the_same_device_listed_twice_is_imported_once_and_said(donor_client, upload):
    lines = sample("servicenow_alm_hardware.csv").decode("utf-8-sig").split("\r\n")
    # A 5,000-device download with the first device copied again at its end, as when two lists were joined.
    rows = [lines[0]]
    for n in range(5000):
        rows.append(lines[1].replace("4X7K2L2", f"4X{n:05d}").replace("P1000123", f"P{n:07d}"))
    rows.append(rows[1])
    content = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")

    job = job_of(upload(donor_client, donor_client.lot, content, "alm_hardware.csv"))

    assert (job.state, job.created_rows, job.error_count) == ("done", 5000, 0), (job.message, job.errors[:3])
    assert job.summary["repeated_rows"] == [[5002, 2]]
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert (
        "Lignes en double ignorées (le même appareil, avec les mêmes valeurs) : ligne 5002 (comme la ligne 2)."
        in page
    )


def test_one_serial_on_two_different_rows_is_still_an_error_the_donor_settles(donor_client, upload):
    lines = sample("servicenow_alm_hardware.csv").decode("utf-8-sig").split("\r\n")
    # Two records for one serial that disagree (another asset tag, another model): which one is the device?
    other = lines[2].replace("8KL9MN3", "4X7K2L2")
    content = ("\ufeff" + "\r\n".join([*lines[:3], other]) + "\r\n").encode("utf-8")

    job = job_of(upload(donor_client, donor_client.lot, content, "alm_hardware.csv"))

    assert (job.state, job.error_count) == ("failed", 1)
    assert job.error_rows[0]["message"] == "Numéro de série « 4X7K2L2 » en double (déjà ligne 2)."


def test_a_white_box_pc_whose_bios_names_nobody_is_declared_without_maker_model_or_serial(
    donor_client, upload, answer
):
    # Configuration Manager copies the BIOS: a PC built from parts says « To Be Filled By O.E.M. » everywhere.
    content = sample("sccm_hardware_inventory.csv") + (
        b"16777224,ACME-PC-0412,To Be Filled By O.E.M.,To Be Filled By O.E.M.,To Be Filled By O.E.M.,3,"
        b"4091236,Microsoft Windows 10 Professionnel,\r\n"
    )

    job = job_of(upload(donor_client, donor_client.lot, content, "inventaire_sccm.csv"))
    assert (job.state, job.needs, job.warning_count) == ("failed", "warnings", 1), job.message
    done = answer(donor_client, job, {"confirm_warnings": True})

    assert (done.state, done.created_rows) == ("done", 5), done.message
    white_box = items(donor_client.lot)[""]
    assert (white_box.brand, white_box.model, white_box.type, white_box.ram_gb) == ("", "", "desktop", 4)
    page = donor_client.get(f"/dons/imports/{done.pk}/").content.decode()
    assert "Mémoire vive lu(e) en Ko (comme l’outil l’écrit), converti(e) en Go." in page


def test_servicenows_excel_export_under_its_labels(donor_client, upload):
    # Export > Excel writes the columns' labels, not their names, and dates as date cells.
    header = ["Display name", "Asset tag", "Serial number", "Model category", "Model", "State", "Substate"]
    header += ["Assigned to", "Location", "Purchased", "Warranty expiration"]
    rows = [
        ["P1000123 - Dell Inc. Latitude 5490", "P1000123", "4X7K2L2", "Computer", "Dell Inc. Latitude 5490"]
        + ["Retired", "Pending disposal", "", "Paris - Siège", date(2019, 3, 12), date(2022, 3, 11)],
        [
            "P1000127 - Apple iPhone 12",
            "P1000127",
            "F17ZK3ABN72J",
            "Handheld Computing Device",
            "Apple iPhone 12",
        ]
        + [
            "Retired",
            "Pending disposal",
            "Jules Petit",
            "Paris - Siège",
            date(2021, 1, 15),
            date(2022, 1, 14),
        ],
    ]

    job = job_of(upload(donor_client, donor_client.lot, workbook_bytes([header, *rows]), "alm_hardware.xlsx"))

    assert (job.state, job.created_rows, job.summary["plan"]["tool"]) == ("done", 2, "servicenow"), (
        job.message
    )
    laptop = items(donor_client.lot)["4X7K2L2"]
    # « State » Retired is the asset's lifecycle: nothing is read as the device's condition.
    assert (laptop.type, laptop.asset_tag, laptop.year, laptop.condition) == ("laptop", "P1000123", 2019, "")
    assert items(donor_client.lot)["F17ZK3ABN72J"].type == "smartphone"
