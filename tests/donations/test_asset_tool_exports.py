"""Exports of Snipe-IT, Jamf Pro, Lansweeper and OCS Inventory as each tool writes them, imported unchanged.

Each sample in tests/data/exports/ reproduces its tool's output from the tool's own code or documentation:

- snipeit_assets_list.csv: Snipe-IT's Assets list « Export » button (tableExport.js: BOM, ",", a cell quoted
  only when it holds a comma or a space, "\n"); the column titles of app/Presenters/AssetPresenter.php, the
  categories named in French, dates in the « D M d, Y » display format of Settings > Localization, custom
  fields RAM/CPU/Storage.
- snipeit_custom_report_all.csv: Reports > Custom Asset Report (ReportsController::postCustom): its own
  headers (« Purchased », « Cost », « Current Value », the location's « State », the checked-out « Type »).
- ocs_inventory_computers_fr.csv: OCS Inventory NG's computers list exported from the French interface
  (plugins/main_sections/ms_export/ms_csv.php: labels from fr_FR.txt unquoted, values quoted, each followed by
  ";", "\r\n" before each row and none after the last).
- ocs_inventory_hardware_columns.csv: the same computers under the column names of OCS's hardware and bios
  tables (TAG, NAME, MEMORY in MB, PROCESSORS in MHz, PROCESSORT, SSN, SMANUFACTURER, SMODEL, LASTDATE).
- lansweeper_assets.csv: a Lansweeper asset list with « AssetType » and the spaced « Last seen », « IP Address ».
- jamf_model_identifier_only.csv: a Jamf Pro advanced computer search without the « Model » display field.
- jamf_mobile_devices.csv: a Jamf Pro mobile device search export (« Capacity MB »).
"""

import pytest

from donations.exports.values import year_of
from tests.donations.export_helpers import items, job_of, sample

# Per sample: the tool recognised, the rows, and devices as the manifest must store them
# (serial: type, RAM GB, storage GB, year).
SAMPLES = {
    "snipeit_assets_list.csv": (
        "snipeit",
        4,
        {
            "8HD9KL3": ("laptop", 16, 512, 2021),
            "9JE0LM4": ("laptop", 8, 256, 2021),
            "F17ZK3ABN72J": ("smartphone", None, 64, 2020),
            "CN0D9X4F74261ABCDEFB": ("monitor", None, None, 2019),
        },
    ),
    "snipeit_custom_report_all.csv": (
        "snipeit",
        2,
        {"8HD9KL3": ("laptop", 16, 512, 2021), "2KF3MN5": ("desktop", 8, 256, 2020)},
    ),
    "ocs_inventory_computers_fr.csv": (
        "ocs",
        3,
        {
            "6GH7JK2": ("desktop", 8, None, None),
            "PF1XY2ZA": ("laptop", 16, None, None),
            # What the system sees of 4 GB (3,938 MB) is read as 4 GB.
            "DTVQ9EF00A1234": ("desktop", 4, None, None),
        },
    ),
    "ocs_inventory_hardware_columns.csv": (
        "ocs",
        2,
        {"6GH7JK2": ("desktop", 8, None, None), "PF1XY2ZA": ("laptop", 16, None, None)},
    ),
    "lansweeper_assets.csv": (
        "lansweeper",
        3,
        {
            "6FJ8KL2": ("laptop", 8, None, None),
            "8KL9MN3": ("desktop", 16, None, None),
            # "Monitor" in AssetType: the model alone ("DELL P2419H") would not say it.
            "CN0D9X4F74261ABCDEFC": ("monitor", None, None, None),
        },
    ),
    "jamf_model_identifier_only.csv": (
        "jamf",
        3,
        {
            "C02DK1ABMD6M": ("laptop", 16, None, None),
            "C02GJ4ABQ05F": ("desktop", 8, None, None),
            "C07FK5ABQ6NV": ("desktop", 8, None, None),
        },
    ),
    "jamf_mobile_devices.csv": (
        "jamf",
        2,
        {"DMPZ81ABCD12": ("tablet", None, 64, None), "F17ZK3ABN72J": ("smartphone", None, 128, None)},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_asset_tools_export_imports_unchanged(donor_client, upload, name):
    tool, count, expected = SAMPLES[name]
    job = job_of(upload(donor_client, donor_client.lot, sample(name), name))

    assert job.state == "done", (job.message, job.needs, job.errors[:3], job.warnings[:3])
    assert job.created_rows == count and job.error_count == 0
    assert job.summary["plan"]["tool"] == tool
    stored = items(donor_client.lot)
    for serial, (kind, ram, storage, year) in expected.items():
        item = stored[serial]
        assert (item.type, item.ram_gb, item.storage_gb, item.year) == (kind, ram, storage, year), serial


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
    assert (first.state, first.needs, first.error_count) == ("failed", "warnings", 0), first.errors[:3]
    assert [warning["row"] for warning in first.warnings] == [2, 3, 4]
    assert all("n’est pas un numéro de série" in warning["message"] for warning in first.warnings)

    job = answer(donor_client, first, {"confirm_warnings": True})
    assert job.state == "done", (job.message, job.errors[:3])
    assert job.created_rows == 3
    assert set(items(donor_client.lot)) == {""}


PLACEHOLDERS = ("To be filled by O.E.M.", "Default string", "00000000")
