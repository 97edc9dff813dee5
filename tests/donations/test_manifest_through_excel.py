"""A donor's manifest that went through Excel before the upload: opened, tidied, saved, sent.

What Excel does to the cells is Microsoft's own documentation:
- « Display numbers in scientific (exponential) notation » and « Keeping leading zeros and large numbers »
  (support.microsoft.com): a number of more than 11 digits in a General cell is shown as 1,23457E+11, and saving
  as CSV writes what is shown; Excel keeps 15 significant digits, so a longer number is stored as a float whose
  last digits are zeros (1.2345678901234601E+17 in the XLSX's <v>); the leading zeros of a number are dropped.
- « Stop automatically changing numbers to dates »: « 1-2 » typed or read from a CSV becomes the 1st of
  February, written back as « 01-févr » in a French CSV and as a date cell (a serial number of days) in XLSX.
- « Save a workbook in another file format » : « CSV (séparateur : point-virgule) » is Windows-1252 with `;`
  and CRLF in the French version; « CSV (Macintosh) » ends its lines with a lone CR.
"""

import io
from datetime import datetime

import openpyxl
import pytest

from donations.models import LotItem
from reuse.errors import render_rows
from tests.donations.export_helpers import job_of
from tests.factories.manifests import FRENCH_HEADER, csv_bytes, french_rows, xlsx_bytes

pytestmark = pytest.mark.django_db
SERIAL = FRENCH_HEADER.index("Numéro de série")


def with_serials(*serials):
    rows = french_rows(len(serials))
    for row, serial in zip(rows, serials, strict=True):
        row[SERIAL] = serial
    return rows


def messages(job, kind="errors"):
    return [(item["row"], item["field"], item["message"]) for item in render_rows(getattr(job, kind))]


def test_a_serial_saved_in_scientific_notation_refuses_its_row_and_nothing_is_stored(donor_client, upload):
    # A twelve-digit serial, shown by French Excel as 1,23457E+11 and saved that way in its « CSV (séparateur :
    # point-virgule) »: the digits 789012 are gone and no serial may be made of what is left.
    data = csv_bytes(with_serials("PF10000001", "1,23457E+11", "3.52099E+14"))

    job = job_of(upload(donor_client, donor_client.lot, data))

    assert job.state == "failed"
    [(row, field, message), (row_2, _field, message_2)] = messages(job)
    assert (row, row_2) == (3, 4)
    assert "Excel a transformé ce numéro" in message and "1,23457E+11" in message
    assert "Excel a transformé ce numéro" in message_2
    assert not LotItem.objects.filter(lot=donor_client.lot).exists()


def test_a_long_serial_excel_stored_as_a_number_in_xlsx_is_refused_not_stored_with_wrong_digits(
    donor_client, upload
):
    # A SIM card's ICCID (19 digits) in a serial column: Excel keeps 15 significant digits and saves a float.
    rows = with_serials("PF10000001", float(8933150319123456789), 352099001761481)
    job = job_of(upload(donor_client, donor_client.lot, xlsx_bytes(rows), name="parc.xlsx"))

    [(row, _field, message)] = messages(job)
    assert row == 3 and "Excel a transformé ce numéro" in message
    assert not LotItem.objects.filter(lot=donor_client.lot, serial__startswith="89331503191234").exists()


def test_an_imei_excel_kept_whole_as_a_number_imports_with_its_fifteen_digits(donor_client, upload):
    rows = with_serials(352099001761481, "PF10000002")
    job = job_of(upload(donor_client, donor_client.lot, xlsx_bytes(rows), name="parc.xlsx"))

    assert job.state == "done", messages(job)
    assert LotItem.objects.filter(lot=donor_client.lot, serial="352099001761481").exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (csv_bytes(with_serials("PF10000001", "01-févr")), "parc.csv"),
        (xlsx_bytes(with_serials("PF10000001", datetime(2026, 2, 1))), "parc.xlsx"),
    ],
)
def test_a_serial_excel_turned_into_a_date_is_refused(donor_client, upload, content, name):
    job = job_of(upload(donor_client, donor_client.lot, content, name=name))

    [(row, _field, message)] = messages(job)
    assert row == 3 and "Excel a transformé ce numéro" in message and "date" in message


def test_a_serial_of_digits_shorter_than_the_others_is_warned_as_zeros_excel_may_have_dropped(
    donor_client, upload
):
    data = csv_bytes(with_serials("004512345678", "004512345679", "4512345680"))

    job = job_of(upload(donor_client, donor_client.lot, data))

    assert job.needs == "warnings" and not job.errors
    [(row, _field, message)] = messages(job, "warnings")
    assert row == 4 and "zéros" in message and "4512345680" in message


def test_a_csv_macintosh_file_with_lone_cr_line_endings_imports_every_row(donor_client, upload):
    data = csv_bytes(french_rows(3), encoding="mac_roman").replace(b"\r\n", b"\r")

    job = job_of(upload(donor_client, donor_client.lot, data))

    assert job.state == "done", messages(job)
    assert LotItem.objects.filter(lot=donor_client.lot).count() == 3


def test_a_workbook_whose_first_sheet_excel_hides_is_read_from_its_first_visible_sheet(donor_client, upload):
    # A drop-down list's values kept on a sheet the donor hid (Excel's « Masquer » on the tab: the sheet's
    # state="hidden" in workbook.xml, ECMA-376 §18.2.19), in front of the sheet of devices it shows.
    workbook = openpyxl.Workbook()
    lists = workbook.active
    lists.title, lists.sheet_state = "Listes", "hidden"
    for word in ("Ordinateur portable", "Écran", "Tablette"):
        lists.append([word])
    devices = workbook.create_sheet("Parc")
    for values in [FRENCH_HEADER, *french_rows(2)]:
        devices.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)

    job = job_of(upload(donor_client, donor_client.lot, buffer.getvalue(), name="parc.xlsx"))

    assert job.state == "done", (job.message, messages(job))
    assert LotItem.objects.filter(lot=donor_client.lot).count() == 2


def test_a_title_row_above_and_a_total_row_below_as_excel_saves_them_are_not_devices(donor_client, upload):
    # Excel writes every row as wide as the table: the title typed in A1 is followed by empty cells (« ;;; »),
    # and so is the « Total » of a SUM formula under the quantities (its computed value is what the CSV holds).
    width = len(FRENCH_HEADER)
    title = ";".join(["Parc informatique — sortie du 03/12/2026", *[""] * (width - 1)])
    total = ";".join(["Total", *[""] * (width - 2), "3"])
    body = csv_bytes(french_rows(3)).decode("cp1252")
    data = "\r\n".join([title, body.rstrip("\r\n"), total, ""]).encode("cp1252")

    job = job_of(upload(donor_client, donor_client.lot, data))

    assert job.state == "done", (job.message, messages(job))
    assert LotItem.objects.filter(lot=donor_client.lot).count() == 3
    assert job.summary["header_row"] == 2
