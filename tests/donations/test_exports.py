"""Donors' asset-management exports, uploaded unchanged: each sample of tests/data/exports/ end to end, and
the report of what the import read. The mapping step is in test_export_mapping.py, values, units, dates and
files that are not spreadsheets in test_export_values.py."""

import pytest

from tests.donations.asset_tool_samples import ASSET_TOOL_SAMPLES
from tests.donations.export_helpers import items, job_of, sample

pytestmark = pytest.mark.django_db

# Per sample: the tool recognised, the rows, and a few devices as the manifest must store them
# (serial: type, RAM GB, storage GB, year).
SAMPLES = {
    "glpi_computers_fr.csv": (
        "glpi",
        12,
        {
            "4X7K2L2": ("laptop", 8, 256, 2019),
            "CZC9203XYZ": ("desktop", 8, 500, 2020),
            "8CC0211ABC": ("desktop", 16, 256, 2020),
            "J3C8R04": ("desktop", 8, 1000, 2018),
            "5CG1042QRS": ("laptop", 16, 256, 2021),
            # No type in GLPI: inferred from the model.
            "PF2MN4TX": ("laptop", 8, 256, 2020),
            "021547394853": ("tablet", 4, 64, 2020),
        },
    ),
    "glpi_computers_en.csv": (
        "glpi",
        8,
        {"4X7K2L2": ("laptop", 8, 256, 2019), "H2B7Q03": ("desktop", 8, 256, 2018)},
    ),
    "glpi_computers_fr.xlsx": ("glpi", 12, {"MJ0F4K2L": ("desktop", 8, 256, 2019)}),
    "snipeit_custom_report.csv": (
        "snipeit",
        7,
        {
            "8HD9KL3": ("laptop", None, None, 2021),
            "F17ZK3ABN72J": ("smartphone", None, None, 2020),
            "DMPZ81ABCD12": ("tablet", None, None, 2020),
            "CN0D9X4F74261ABCDEFB": ("monitor", None, None, 2019),
        },
    ),
    "intune_devices.csv": (
        "intune",
        9,
        {
            # "Total storage" is in MB: 244,198 MB is a 256 GB drive, not 244,198 GB.
            "7KD2LM3": ("laptop", None, 256, None),
            "5CG1287XQW": ("laptop", None, 512, None),
            "3MF4NP5": ("desktop", None, 500, None),
            "F2LZK0ABN72K": ("smartphone", None, 128, None),
            "R58T10FGHIJ": ("smartphone", None, 128, None),
            "DMPZ81XYZW34": ("tablet", None, 64, None),
            "C02FG3HJQ6L4": ("laptop", None, 256, None),
        },
    ),
    "jamf_advanced_computer_search.csv": (
        "jamf",
        5,
        {
            "C02DK1ABMD6M": ("laptop", 16, 512, 2021),
            "C02GJ4ABQ05F": ("desktop", 16, 512, 2021),
            "C07FK5ABQ6NV": ("desktop", 8, 256, 2021),
        },
    ),
    "lansweeper_assets.xlsx": (
        "lansweeper",
        6,
        {
            "6FJ8KL2": ("laptop", 8, None, 2019),
            "8KL9MN3": ("desktop", 16, None, 2019),
            "C02ZX1ABMD6T": ("laptop", 8, None, 2020),
            "MJ0G5L3M": ("desktop", 8, None, 2019),
            "CN0D9X4F74261ABCDEFC": ("monitor", None, None, 2019),
        },
    ),
    "ocs_inventory_computers.csv": (
        "ocs",
        5,
        {"6GH7JK2": ("desktop", 8, None, None), "PF1XY2ZA": ("laptop", 16, None, None)},
    ),
    "plain_sheet.xlsx": (
        "",
        6,
        {
            "GH5JK72": ("laptop", 16, 512, 2019),
            "CZC8411ABC": ("desktop", 8, 256, 2018),
            # A purchase date typed in a cell formatted as General: an Excel serial number (43536 = 12/03/2019).
            "1129884455667": ("monitor", None, None, 2019),
            "R52N80ABCDE": ("tablet", 4, 64, 2020),
            "F4GZK1ABN72L": ("smartphone", 3, 64, 2020),
        },
    ),
}


SAMPLES |= ASSET_TOOL_SAMPLES  # Snipe-IT, Jamf Pro, Lansweeper and OCS as they really write


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_tools_export_imports_unchanged(donor_client, upload, name):
    tool, count, expected = SAMPLES[name]
    job = job_of(upload(donor_client, donor_client.lot, sample(name), name))

    assert job.state == "done", (job.message, job.needs, job.errors[:3], job.warnings[:3])
    assert job.created_rows == count and job.error_count == 0
    assert job.summary["plan"]["tool"] == tool
    stored = items(donor_client.lot)
    for serial, (kind, ram, storage, year) in expected.items():
        item = stored[serial]
        assert (item.type, item.ram_gb, item.storage_gb, item.year) == (kind, ram, storage, year), serial
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert f"{count} appareil(s) ajouté(s)" in page
    if tool:
        assert f"Export reconnu : {job.summary['plan']['tool_name']}." in page


def test_the_report_lists_ignored_columns_units_and_inferred_types(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("intune_devices.csv"), "intune.csv"))
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()

    assert "44 colonnes ignorées" in page and "« Free storage »" in page and "« Category »" in page
    assert "Stockage lu(e) en Mo (d’après les valeurs), converti(e) en Go." in page
    assert "Type déduit du système ou du modèle pour 9 lignes" in page
    assert "5 × Ordinateur portable (d’après le modèle)" in page
    assert "2 × Smartphone (d’après le système)" in page


def test_the_os_read_from_the_export_is_kept_on_the_manifest_row(donor_client, upload):
    upload(donor_client, donor_client.lot, sample("intune_devices.csv"), "intune.csv")

    assert items(donor_client.lot)["DMPZ81XYZW34"].os == "iPadOS"


def test_itops_asset_number_and_os_version_are_read_without_asking_the_donor(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("itop_pc_fr.csv"), "export.csv"))

    assert (job.state, job.summary["plan"]["tool"]) == ("done", "itop"), job.message
    laptop = items(donor_client.lot)["4X7K2L2"]
    assert (laptop.asset_tag, laptop.os, laptop.cpu) == (
        "MSA-2019-014",
        "Windows 10 Pro",
        "Intel Core i5-8350U",
    )


def test_normalised_type_values_are_shown_with_their_counts(donor_client, upload):
    job = job_of(upload(donor_client, donor_client.lot, sample("glpi_computers_fr.csv"), "glpi.csv"))
    normalised = {item["value"]: (item["type"], item["count"]) for item in job.summary["normalised"]}

    assert normalised["Notebook"] == ("laptop", 2)
    assert normalised["Mini Tower"] == ("desktop", 1)
    assert normalised["All in One"] == ("desktop", 1)
    assert normalised["Sub Notebook"] == ("laptop", 1)
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    assert '<th scope="row">Mini Tower</th><td>Ordinateur fixe</td><td>1</td>' in page


def test_glpi_multi_valued_cells_are_read_without_their_html_line_breaks(donor_client, upload):
    # As GLPI 10 writes its CSV export (Glpi\Search\Output\CSVSearchOutput): BOM, every header and cell quoted
    # and followed by the delimiter (so each line ends with ";"), "\n" line ends, and the values of a
    # multi-valued column joined by a literal "<br>".
    lines = [
        '"Nom";"Entité";"Statut";"Fabricant";"Numéro de série";"Type";"Modèle";"Composants - Processeur";',
        '"PC-COMPTA-01";"Entité racine";"Au rebut";"Dell Inc.";"4X7K2L2";"Notebook";"Latitude 5490";'
        '"Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz";',
        '"SRV-01";"Entité racine";"Au rebut";"HP";"CZJ1234ABC";"Tower";"ProLiant ML350 Gen10";'
        '"Intel(R) Xeon(R) Silver 4110<br>Intel(R) Xeon(R) Silver 4110";',
    ]
    content = ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")

    job = job_of(upload(donor_client, donor_client.lot, content, "glpi.csv"))

    assert (job.state, job.created_rows) == ("done", 2)
    server = items(donor_client.lot)["CZJ1234ABC"]
    assert server.cpu == "Intel(R) Xeon(R) Silver 4110 / Intel(R) Xeon(R) Silver 4110"
    assert server.model == "ProLiant ML350 Gen10"
    assert items(donor_client.lot)["4X7K2L2"].type == "laptop"
