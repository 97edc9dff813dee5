"""Exports of Snipe-IT, Jamf Pro, Lansweeper, OCS Inventory and iTop as each tool writes them, imported unchanged by
tests/donations/test_exports.py.

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
- itop_pc_fr.csv: Combodo iTop's CSV export of a PC list from the French interface (Combodo/iTop
  core/csvbulkexport.class.inc.php with its defaults: ",", '"', UTF-8 without BOM, "\n"; the headers are the
  labels of datamodels' fr.dict.itop-config-mgmt.php: « Numéro Asset », « Criticité », « Famille OS »…; an
  external key such as the brand exported as its name under the key's label; the PC type « laptop »/« desktop »
  as that dictionary names it; dates in the interface's d/m/Y; an empty date left unquoted).
- google_admin_chromeos_devices.csv: Google Admin console, Devices > Chrome > Devices > Download, the columns of the
  device list as Google's Help Center names them (« Serial Number », « Asset ID », « OS Version », « Last Sync »,
  « Org Unit Path »…: support.google.com/chrome/a/answer/1698333), ",", UTF-8, a cell quoted only when it must be;
  statuses ACTIVE/DEPROVISIONED/DISABLED and times in ISO 8601 as the Directory API reference writes them
  (developers.google.com/admin-sdk/directory/reference/rest/v1/chromeosdevices); a ChromeOS Flex PC among them.
- entra_id_devices.csv: Microsoft Entra admin center, Devices > All devices > Download devices, the 17 columns
  Microsoft Learn lists (learn.microsoft.com/entra/identity/devices/manage-device-identities#download-devices),
  in that order, BOM, every value quoted, "\r\n"; operatingSystem as Entra writes it (IPhone, IPad,
  AndroidForWork, MacMDM); no serial number and no maker: the export has none.
- servicenow_alm_hardware.csv: ServiceNow, Asset > Portfolios > Hardware Assets (alm_hardware), list Export >
  CSV: the fields' names as headers (asset_tag, serial_number, model_category, install_status…), references and
  choices as their display values (« Dell Inc. Latitude 5490 », « Retired »), every value quoted, BOM,
  "\r\n", dates in the instance's default yyyy-MM-dd (docs.servicenow.com, « Export formats » and the
  Hardware Asset table's dictionary).
- apple_business_manager_devices.csv: the organisation's devices from Apple Business Manager (or School
  Manager) as the Apple School and Business Manager API's « Get Organization Devices » returns them
  (developer.apple.com/documentation/appleschoolmanagerapi/get-org-devices: serialNumber, deviceModel,
  productFamily, productType, deviceCapacity "750GB", partNumber, orderNumber, status, orderDateTime in ISO 8601…),
  written to CSV under those names by a script, ","; « Mac » tells no laptop from desktop: the model does.
- sccm_hardware_inventory.csv: a Microsoft Configuration Manager hardware inventory query on the site database's
  views (learn.microsoft.com/mem/configmgr/develop/core/understand/sqlviews/hardware-inventory-views-configuration-manager:
  Netbios_Name0, Manufacturer0, Model0, SerialNumber0, ChassisTypes0 as SMBIOS numbers, TotalPhysicalMemory0 in
  KB, Caption0 in the system's language) saved from SQL Server Management Studio with its headers: ",", nothing
  quoted, BOM, "\r\n".
"""

# Per sample: the tool recognised, the rows, and devices as the manifest must store them
# (serial: type, RAM GB, storage GB, year).
ASSET_TOOL_SAMPLES = {
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
    "itop_pc_fr.csv": (
        "itop",
        4,
        {
            "4X7K2L2": ("laptop", 8, None, 2019),
            "CZC9203XYZ": ("desktop", 16, None, 2020),
            "8CC0211ABC": ("desktop", 4, None, 2020),
        },
    ),
    "google_admin_chromeos_devices.csv": (
        "google",
        7,
        {
            "5CD1234ABC": ("laptop", None, None, None),
            "PF3ABC12": ("laptop", None, None, None),
            "M3NKCV000123456": ("desktop", None, None, None),
            "DQBGEEF00B2345678": ("desktop", None, None, None),
            "CZC6123XYZ": ("desktop", None, None, None),
            # "CTL NL72" says nothing, but every device of the list runs ChromeOS: a laptop.
            "NL72A0012345": ("laptop", None, None, None),
        },
    ),
    "servicenow_alm_hardware.csv": (
        "servicenow",
        5,
        {
            # « Computer » is a family: the model tells laptop from desktop.
            "4X7K2L2": ("laptop", None, None, 2019),
            "8KL9MN3": ("desktop", None, None, 2019),
            "PF2MN4TX": ("laptop", None, None, 2020),
            "CN4123ABCD": ("monitor", None, None, 2020),
            "F17ZK3ABN72J": ("smartphone", None, None, 2021),
        },
    ),
    "apple_business_manager_devices.csv": (
        "apple_business",
        4,
        {
            "C02XK0ABJGH5": ("laptop", None, 256, 2021),
            "C07ZP1ABJYVX": ("desktop", None, 256, 2019),
            "F9FXK2ABCDEF": ("tablet", None, 64, 2022),
            "F17ZK3ABN72J": ("smartphone", None, 128, 2021),
        },
    ),
    "sccm_hardware_inventory.csv": (
        "sccm",
        4,
        {
            # Chassis 10 is a Notebook, 35 a Mini PC, 3 a Desktop; memory in KB (8,266,012 KB is 8 GB).
            "7JD8KL2": ("laptop", 8, None, None),
            "5CG8123ABC": ("laptop", 16, None, None),
            "PC0ABCD1": ("desktop", 8, None, None),
            "3MF4NP6": ("desktop", 16, None, None),
        },
    ),
}
