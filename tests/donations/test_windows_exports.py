"""What a small organisation's IT person sends when no asset tool is at hand: a PowerShell one-liner's output.

- powershell51_cim_computers.csv: Windows PowerShell 5.1, « Get-CimInstance Win32_ComputerSystem | Select-Object
  PSComputerName, Manufacturer, Model, SystemFamily, @{n='SerialNumber'; e={(Get-CimInstance Win32_BIOS).SerialNumber}},
  TotalPhysicalMemory | Export-Csv parc.csv » with Export-Csv's defaults (learn.microsoft.com, PowerShell 5.1
  reference, Export-Csv: a first line « #TYPE » and the objects' type unless -NoTypeInformation, ASCII, every field
  quoted, ","); the CIM class's property names as headers, TotalPhysicalMemory in bytes (Win32_ComputerSystem
  reference). « -Encoding Unicode » writes the same in UTF-16 LE with its byte order mark.
- graph_managed_devices_pwsh7.csv: PowerShell 7, « Get-MgDeviceManagementManagedDevice | Select-Object … |
  Export-Csv » (Microsoft Graph PowerShell SDK: the managedDevice resource's properties in PascalCase; PowerShell 7's
  Export-Csv: no #TYPE line, UTF-8 without BOM, every field quoted). The managedDevice reference says a device list
  returns physicalMemoryInBytes as 0 unless each device is asked for it with $select.
- graph_beta_managed_devices_all.csv: the same from the beta module (Get-MgBetaDeviceManagementManagedDevice), with
  more of the resource's properties: ChassisType (the kind of device: laptop, worksWorkstation, phone, mobileUnknown…,
  learn.microsoft.com/graph/api/resources/intune-devices-chassistype) beside DeviceType (the platform: windowsRT,
  iPhone, androidEnterprise…, intune-shared-devicetype), dates in the French culture's format.
- Format-List / Format-Table: what PowerShell shows on screen, saved by « > » (UTF-16 LE with BOM in 5.1, UTF-8 in 7).
"""

import codecs

import pytest

from donations.models import LotItem
from tests.donations.export_helpers import items, job_of, sample

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("encoding", ["ascii", "utf-16"])
def test_a_windows_powershell_export_is_read_below_its_type_line(donor_client, upload, encoding):
    content = sample("powershell51_cim_computers.csv")
    if encoding == "utf-16":
        content = codecs.BOM_UTF16_LE + content.decode("ascii").encode("utf-16-le")

    job = job_of(upload(donor_client, donor_client.lot, content, "parc.csv"))

    assert (job.state, job.created_rows, job.needs) == ("done", 3, ""), job.message_text
    devices = items(donor_client.lot)
    thinkpad = devices["PF1ABCDE"]
    # Bytes, as Win32_ComputerSystem counts them: 17,022,779,392 is a 16 GB machine.
    assert (thinkpad.brand, thinkpad.type, thinkpad.ram_gb) == ("LENOVO", "laptop", 16)
    assert (devices["CZC8123XYZ"].type, devices["CZC8123XYZ"].ram_gb) == ("desktop", 8)


def test_row_numbers_count_the_type_line_as_the_spreadsheet_shows_it(donor_client, upload):
    content = sample("powershell51_cim_computers.csv").replace(b'"PF1ABCDE"', b'"7XK2LM2"')

    job = job_of(upload(donor_client, donor_client.lot, content, "parc.csv"))

    # Excel opens the file with « #TYPE » in row 1, the header in row 2: the repeated serial is in row 4.
    assert job.state == "failed" and LotItem.objects.count() == 0
    assert job.error_rows[0]["row"] == 4
    assert "déjà ligne 3" in job.error_rows[0]["message"]


def test_a_microsoft_graph_device_list_is_read_without_its_zero_memory(donor_client, upload):
    job = job_of(
        upload(donor_client, donor_client.lot, sample("graph_managed_devices_pwsh7.csv"), "devices.csv")
    )

    assert (job.state, job.created_rows, job.warning_count) == ("done", 3, 0), (
        job.message_text,
        job.warning_rows,
    )
    devices = items(donor_client.lot)
    latitude = devices["7KD2LM3"]
    # TotalStorageSpaceInBytes says its unit; PhysicalMemoryInBytes' zeros say nothing about the memory.
    assert (latitude.type, latitude.os, latitude.storage_gb, latitude.ram_gb) == (
        "laptop",
        "Windows",
        256,
        None,
    )
    assert (devices["DMPZ81XYZW34"].type, devices["DMPZ81XYZW34"].storage_gb) == ("tablet", 64)


def test_graphs_chassis_type_tells_the_type_and_its_device_type_is_not_asked_about(donor_client, upload):
    content = sample("graph_beta_managed_devices_all.csv")

    job = job_of(upload(donor_client, donor_client.lot, content, "devices.csv"))

    assert (job.state, job.created_rows, job.summary["plan"]["tool"]) == ("done", 4, "graph"), (
        job.message_text
    )
    stored = {serial: item.type for serial, item in items(donor_client.lot).items()}
    # worksWorkstation is a desktop; mobileUnknown says nothing and Android tells a smartphone.
    assert stored == {
        "7KD2LM3": "laptop",
        "CZC0456ABC": "desktop",
        "F2LZK0ABN72K": "smartphone",
        "R58T10FGHIJ": "smartphone",
    }
    assert items(donor_client.lot)["CZC0456ABC"].storage_gb == 1000


FORMAT_LIST = (
    "\r\n\r\n"
    "PSComputerName      : PC-COMPTA-01\r\nManufacturer        : LENOVO\r\nModel               : 20L5CTO1WW\r\n"
    "SerialNumber        : PF1ABCDE\r\nTotalPhysicalMemory : 17022779392\r\n\r\n"
    "PSComputerName      : PC-COMPTA-02\r\nManufacturer        : Dell Inc.\r\nModel               : Latitude 5490\r\n"
    "SerialNumber        : 7XK2LM2\r\nTotalPhysicalMemory : 8465113088\r\n\r\n\r\n\r\n"
)
FORMAT_TABLE = (
    "\r\n"
    "Manufacturer Model         SerialNumber\r\n"
    "------------ -----         ------------\r\n"
    "LENOVO       20L5CTO1WW    PF1ABCDE\r\n"
    "Dell Inc.    Latitude 5490 7XK2LM2\r\n\r\n\r\n"
)


@pytest.mark.parametrize("shown", [FORMAT_LIST, FORMAT_TABLE])
@pytest.mark.parametrize("powershell", ["5.1", "7"])
def test_powershells_screen_output_is_refused_saying_to_use_export_csv(
    donor_client, upload, shown, powershell
):
    content = codecs.BOM_UTF16_LE + shown.encode("utf-16-le") if powershell == "5.1" else shown.encode()

    job = job_of(upload(donor_client, donor_client.lot, content, "parc.txt"))

    assert job.state == "failed" and LotItem.objects.count() == 0
    assert "affichage d’une commande PowerShell" in job.message_text
    assert "| Export-Csv -Path parc.csv -NoTypeInformation -Encoding UTF8" in job.message_text


def test_a_sheet_saved_with_a_blank_first_line_is_read(donor_client, upload):
    content = "\r\nType;Marque;Modèle;Numéro de série\r\nPortable;Dell;Latitude 5490;7XK2LM2\r\n".encode(
        "cp1252"
    )

    job = job_of(upload(donor_client, donor_client.lot, content, "parc.csv"))

    assert (job.state, job.created_rows) == ("done", 1), job.message_text
    assert items(donor_client.lot)["7XK2LM2"].model == "Latitude 5490"


def test_a_typed_preamble_of_key_value_lines_is_not_taken_for_powershells_output(donor_client, upload):
    # Excel's « CSV (point-virgule) »: a few lines typed above the table, padded with separators to its width.
    content = (
        "Organisation : Emmaüs Connect;;;\r\nDate : 03/12/2026;;;\r\nAuteur : Jean;;;\r\n;;;\r\n"
        "Type;Marque;Modèle;Numéro de série\r\nPortable;Dell;Latitude 5490;7XK2LM2\r\n"
    ).encode("cp1252")

    job = job_of(upload(donor_client, donor_client.lot, content, "parc.csv"))

    assert (job.state, job.created_rows) == ("done", 1), job.message_text
