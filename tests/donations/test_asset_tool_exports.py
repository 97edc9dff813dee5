"""Exports of Snipe-IT, Jamf Pro, Lansweeper and OCS Inventory: what their own columns must not be taken for, the
dates Snipe-IT displays, the serials BIOSes write when none was set. The samples, and where each comes from, are
in tests/donations/asset_tool_samples.py; tests/donations/test_exports.py imports each of them end to end."""

import pytest

from donations.exports.values import year_of
from tests.donations.export_helpers import items, job_of, sample


@pytest.mark.django_db
def test_snipeit_report_columns_about_the_location_and_the_user_are_not_read_as_the_device(
    donor_client, upload
):
    # The custom report's « State » is the location's region and « Type » says whom the asset is checked
    # out to ("user"): neither is the device's condition nor its type.
    job = job_of(
        upload(donor_client, donor_client.lot, sample("snipeit_custom_report_all.csv"), "report.csv")
    )

    laptop = items(donor_client.lot)["8HD9KL3"]
    assert (laptop.condition, laptop.type, laptop.net_book_value_cents) == ("", "laptop", 26225)
    assert {"State", "Type", "Cost"} <= set(job.summary["ignored"])


@pytest.mark.parametrize(
    "text, year",
    [
        # Snipe-IT's date display formats (resources/macros/macros.php), as its list export writes them.
        ("Mon Mar 01, 2021", 2021),
        ("Mar 1, 2021", 2021),
        ("01 Mar, 2021", 2021),
        ("3/01/21", 2021),
        ("2021.03.01.", 2021),
        ("01.03.2021", 2021),
    ],
)
def test_dates_as_snipeit_displays_them_give_their_year(text, year):
    assert year_of(text) == year


def test_a_month_word_that_is_no_month_is_not_a_date():
    with pytest.raises(ValueError):
        year_of("Lot 12, 2021")


@pytest.mark.django_db
def test_unbranded_pcs_whose_bios_gives_no_serial_are_declared_without_one(donor_client, upload, answer):
    # A town hall's OCS export of white-box PCs: the BIOS of each says « To be filled by O.E.M. » (or « Default
    # string », « 00000000 »), as OCS reads it from the SMBIOS. Taken for serials, the three rows were one
    # device declared three times and the whole file was refused.
    ocs = sample("ocs_inventory_computers_fr.csv").decode()
    lines = ocs.split("\r\n")
    rows = [lines[1].replace('"6GH7JK2"', f'"{placeholder}"') for placeholder in PLACEHOLDERS]
    data = "\r\n".join([lines[0], *rows]).encode()

    first = job_of(upload(donor_client, donor_client.lot, data, "ocs.csv"))
    # Never silent: the donor is told, row by row, and confirms before anything is written.
    assert (first.state, first.needs, first.error_count) == ("failed", "warnings", 0), first.error_rows[:3]
    assert [warning["row"] for warning in first.warning_rows] == [2, 3, 4]
    assert all("n’est pas un numéro de série" in warning["message"] for warning in first.warning_rows)

    job = answer(donor_client, first, {"confirm_warnings": True})
    assert job.state == "done", (job.message_text, job.error_rows[:3])
    assert job.created_rows == 3
    assert set(items(donor_client.lot)) == {""}


PLACEHOLDERS = ("To be filled by O.E.M.", "Default string", "00000000")
