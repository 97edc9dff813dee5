"""Types read from makers' model codes, as asset tools write them when the row has no usable type: monitors
behind their maker's name (ServiceNow, GLPI, Lansweeper), Lenovo computers as their machine-type model
(Intune, Entra ID, SCCM, Lansweeper). A code nobody can tell is asked to the donor, never guessed."""

import csv
import io

import pytest

from donations.exports.types import infer_type
from donations.models import LotItem
from tests.donations.export_helpers import items, job_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "brand"),
    [
        ("Dell Inc. P2419H", ""),  # ServiceNow's model name: the maker's name, then its code
        ("DELL P2419H", "Dell Inc."),  # Lansweeper: the monitor's EDID name
        ("Dell U2722D", "Dell"),
        ("HP E24 G4", "HP"),
        ("HP P24h G5", ""),
        ("LG Electronics 27UL500", ""),
        ("27UL500-W", "LG Electronics"),  # GLPI: maker and model in their own columns
        ("24MK430H", "LG"),
        ("Samsung S24R350", ""),
        ("LS24R350FHUXEN", "SAMSUNG ELECTRONICS CO., LTD."),
        ("iiyama ProLite XU2493HS", ""),
        ("XU2493HS", "iiyama"),
        ("Philips 243V7Q", ""),
        ("243V7QDSB", "Philips"),
    ],
)
def test_a_monitor_written_after_its_makers_name_is_a_monitor(model, brand):
    assert infer_type(os="", model=model, brand=brand) == ("monitor", "model")


@pytest.mark.parametrize(
    ("model", "brand", "kind"),
    [
        ("20XW004PFR", "LENOVO", "laptop"),  # Intune: ThinkPad X1 Carbon Gen 9, standard model for France
        ("20L5CTO1WW", "LENOVO", "laptop"),  # SCCM: ThinkPad T480 configured to order
        ("21BT0021FR", "LENOVO", "laptop"),  # ThinkPad P16s Gen 1 (Intel)
        ("Lenovo 20XW004PFR", "", "laptop"),  # the maker in the model cell
        ("20XW004PFR", "", "laptop"),  # Entra ID lists no maker: a standard MTM of a listed machine type
        ("10MQS0JX00", "LENOVO", "desktop"),  # ThinkCentre M710q Tiny, special bid (numeric country code)
    ],
)
def test_a_lenovo_machine_type_model_is_typed_from_lenovos_table(model, brand, kind):
    assert infer_type(os="Windows", model=model, brand=brand) == (kind, "model")


@pytest.mark.parametrize(
    ("model", "brand"),
    [
        ("11DA0035FR", "LENOVO"),  # a machine type the table does not list: asked, not guessed
        ("10MQS0JX00", ""),  # a special bid's code without a maker could be anyone's
        ("20XW004PFR", "Acer"),  # Lenovo's code under another maker's name
        ("3UP63EA", "HP"),  # an HP product number names a configuration, not a type anyone publishes
        ("0GJ6X7", "Dell Inc."),  # a Dell part number
        ("S24R350", "Dell Inc."),  # Samsung's naming under Dell's name
        ("14Z90P", "LG Electronics"),  # an LG gram laptop, not an LG monitor
    ],
)
def test_a_code_nobody_can_tell_gives_no_type(model, brand):
    assert infer_type(os="Windows", model=model, brand=brand) == ("", "")


def test_a_thin_client_named_so_in_its_model_is_a_desktop():
    # HP's thin clients as Intune and SCCM read them from the BIOS.
    assert infer_type(os="Windows", model="HP t640 Thin Client", brand="HP") == ("desktop", "model")


def test_a_laptop_family_name_wins_over_a_monitor_looking_code():
    # « ThinkPad P14s G4 » is a laptop, whatever « P14s G4 » looks like.
    assert infer_type(os="Windows", model="ThinkPad P14s G4", brand="LENOVO") == ("laptop", "model")


def _lansweeper(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["AssetName", "AssetType", "Manufacturer", "Model", "Serialnumber", "OS", "Memory"])
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_an_export_of_lenovo_codes_and_prefixed_monitors_asks_once_per_model_nobody_can_tell(
    donor_client, upload, answer
):
    # Lansweeper writes the platform as the asset type (« Windows »; « Monitor » only when it made a monitor
    # asset of the EDID) and a Lenovo as its machine-type model.
    content = _lansweeper(
        [
            ["PC-0101", "Windows", "LENOVO", "20XW004PFR", "PF2ABC01", "Win 11", "16384"],
            ["PC-0102", "Windows", "LENOVO", "10MQS0JX00", "MJ0ABC02", "Win 10", "8192"],
            ["PC-0103", "Windows", "LENOVO", "11DA0035FR", "MJ0ABC03", "Win 10", "8192"],
            ["PC-0104", "Windows", "HP", "3UP63EA", "5CG8ABC04", "Win 10", "8192"],
            ["PC-0105", "Windows", "LENOVO", "11DA0035FR", "MJ0ABC05", "Win 10", "8192"],
            ["MON-0106", "", "Dell Inc.", "DELL P2419H", "CN0D9X4F7426", "", ""],
        ]
    )
    job = job_of(upload(donor_client, donor_client.lot, content, "assets.csv"))

    # Two models nobody can tell are two questions, not one « Windows » answered for both.
    assert (job.state, job.needs) == ("failed", "values"), job.message
    assert job.summary["unknown"] == [
        {"key": "11da0035fr", "value": "11DA0035FR", "count": 2, "rows": [4, 6]},
        {"key": "3up63ea", "value": "3UP63EA", "count": 1, "rows": [5]},
    ]
    page = donor_client.get(f"/dons/imports/{job.pk}/correspondance/").content.decode()
    assert "« 11DA0035FR » — 2 lignes" in page and "« 3UP63EA » — 1 ligne" in page

    second = answer(donor_client, job, {"types": {"11DA0035FR": "desktop", "3UP63EA": "laptop"}})

    assert (second.state, second.created_rows) == ("done", 6), second.message
    assert {serial: item.type for serial, item in items(donor_client.lot).items()} == {
        "PF2ABC01": "laptop",
        "MJ0ABC02": "desktop",
        "MJ0ABC03": "desktop",
        "5CG8ABC04": "laptop",
        "MJ0ABC05": "desktop",
        "CN0D9X4F7426": "monitor",
    }
    # The answers are kept for the organisation: its next file with these models asks nothing.
    LotItem.objects.all().delete()
    third = job_of(upload(donor_client, donor_client.lot, content, "assets.csv"))
    assert (third.state, third.created_rows) == ("done", 6), third.message


def test_the_api_types_an_item_from_its_lenovo_code_as_the_file_import_does(donor_client):
    response = donor_client.post(
        "/api/v1/lots",
        {
            "title": "Parc 2026",
            "pickup_postcode": "69003",
            "pickup_address": "1 rue de la Gare, Lyon",
            "available_from": "2026-03-02",
            "items": [
                {"type": "Windows", "brand": "LENOVO", "model": "20XW004PFR", "serial": "PF2ABC01"},
                {"type": "", "brand": "LG Electronics", "model": "27UL500-W", "serial": "104NTAB1C234"},
            ],
        },
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    stored = dict(LotItem.objects.filter(lot_id=response.json()["id"]).values_list("serial", "type"))
    assert stored == {"PF2ABC01": "laptop", "104NTAB1C234": "monitor"}
