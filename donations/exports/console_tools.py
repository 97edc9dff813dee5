"""Device-management consoles' exports (Google Admin console, Microsoft Entra ID, ServiceNow, Configuration
Manager, Microsoft Graph's managed devices), read like the asset tools of `donations.exports.tools`, where they are
merged into one table.

Keys only these consoles need: `os`, the system every device of the export runs when the file only gives its
version (a ChromeOS device list says "120.0.6099.235"); `notice`, what the donor must add because the export never
holds it (Entra ID's device list has no serial number); `units`, the unit of a size column whose header does not
say it (Configuration Manager's memory in KB); `type_codes`, the codes the tool writes for a type (SMBIOS chassis
type numbers).
"""

from django.utils.translation import gettext_lazy as _

from donations.enums import ManifestColumn as C
from donations.enums import SizeUnit

CONSOLE_TOOLS = {
    "apple_business": {
        "name": "Apple Business Manager / Apple School Manager",
        # The devices of the organisation as the Apple School and Business Manager API's « Get Organization
        # Devices » gives them (developer.apple.com: each orgDevice's attributes serialNumber, deviceModel
        # "iMac 21.5\"", productFamily Mac/iPhone/iPad/AppleTV/Watch/Vision, productType "iMac16,2",
        # deviceCapacity "750GB", partNumber, orderNumber, orderDateTime, status…), written to CSV by a script or
        # an integration under those names.
        "signature": [
            "productfamily",
            "producttype",
            "devicecapacity",
            "partnumber",
            "orderdatetime",
            "addedtoorgdatetime",
            "purchasesourcetype",
        ],
        "aliases": {
            C.SERIAL: ["serialnumber"],
            C.MODEL: ["devicemodel"],
            # "Mac" says nothing of laptop or desktop: it reads as no type and the model tells ("MacBook Air").
            C.TYPE: ["productfamily"],
            C.STORAGE: ["devicecapacity"],
            C.PURCHASE_DATE: ["orderdatetime"],
            # "ASSIGNED", "UNASSIGNED": the device's management service, not its condition.
            "": ["id", "status", "color", "producttype", "partnumber", "ordernumber", "addedtoorgdatetime"],
        },
        "type_codes": {"Mac": ""},
    },
    "google": {
        "name": "Google Admin (ChromeOS)",
        # Devices > Chrome > Devices > Download: the list's columns as the console names them ("Serial Number",
        # "Asset ID", "OS Version", "Last Sync"), or the Directory API's field names (serialNumber,
        # annotatedAssetId, osVersion, lastSync) as the legacy download and GAM's « print cros » write them.
        "signature": [
            "asset id",
            "annotated asset id",
            "annotatedassetid",
            "last sync",
            "lastsync",
            "org unit path",
            "orgunitpath",
            "platform version",
            "platformversion",
            "firmware version",
            "firmwareversion",
            "auto update expiration",
            "autoupdateexpiration",
            "boot mode",
            "bootmode",
            "annotated user",
            "annotateduser",
            "will auto renew",
            "willautorenew",
            "support end date",
            "supportenddate",
        ],
        "os": "ChromeOS",
        "aliases": {
            C.SERIAL: ["serial number", "serialnumber"],
            C.ASSET_TAG: ["asset id", "annotated asset id", "annotatedassetid"],
            C.MODEL: ["model"],
            C.OS: ["os version", "osversion"],
            # Bytes in the API ("8201834496"): the unit comes from the values' magnitude.
            C.RAM: ["system ram total", "systemramtotal"],
            # When the device was made: the nearest the console gives to a purchase year.
            C.YEAR: ["manufacture date", "manufacturedate"],
            # "ACTIVE", "DEPROVISIONED", "DISABLED": the enrolment, not the device's condition.
            "": [
                "status",
                "device id",
                "deviceid",
                "user",
                "annotated user",
                "annotateduser",
                "location",
                "annotated location",
                "annotatedlocation",
                "notes",
                "org unit path",
                "orgunitpath",
                "last sync",
                "lastsync",
                "enrollment time",
                "enrollment date",
                "last enrollment time",
                "lastenrollmenttime",
                "first enrollment time",
                "firstenrollmenttime",
                "platform version",
                "platformversion",
                "firmware version",
                "firmwareversion",
                "mac address",
                "macaddress",
                "ethernet mac address",
                "ethernetmacaddress",
                "boot mode",
                "bootmode",
                "auto update expiration",
                "autoupdateexpiration",
                "auto update through",
                "autoupdatethrough",
                "support end date",
                "supportenddate",
                "will auto renew",
                "willautorenew",
                "order number",
                "ordernumber",
                "meid",
                "recent users",
                "recentusers",
            ],
        },
    },
    "entra": {
        "name": "Microsoft Entra ID",
        # Devices > All devices > Download devices (CSV): displayName, accountEnabled, operatingSystem,
        # operatingSystemVersion, joinType (trustType), registeredOwners, userNames, mdmDisplayName, isCompliant,
        # registrationTime, approximateLastSignInDateTime, deviceId, isManaged, objectId, profileType,
        # systemLabels, model (Microsoft Learn, « Manage device identities », Download devices).
        "signature": [
            "accountenabled",
            "operatingsystemversion",
            "jointype trusttype",
            "registeredowners",
            "mdmdisplayname",
            "iscompliant",
            "approximatelastsignindatetime",
            "ismanaged",
            "profiletype",
            "systemlabels",
        ],
        "aliases": {
            C.MODEL: ["model"],
            C.OS: ["operatingsystem"],
            "": [
                "displayname",
                "accountenabled",
                "operatingsystemversion",
                "jointype trusttype",
                "jointype",
                "trusttype",
                "registeredowners",
                "usernames",
                "mdmdisplayname",
                "iscompliant",
                "registrationtime",
                "approximatelastsignindatetime",
                "deviceid",
                "ismanaged",
                "objectid",
                "profiletype",
                "systemlabels",
            ],
        },
        "notice": _(
            "L’export « Télécharger les appareils » de Microsoft Entra ID ne contient ni numéro de série ni "
            "fabricant : les appareils sont déclarés sans numéro de série. Ajoutez une colonne « Numéro de "
            "série » à ce fichier avant de le renvoyer, ou envoyez plutôt l’export d’Intune (Appareils > Tous "
            "les appareils > Exporter), qui les contient : l’atelier relie chaque certificat d’effacement à un "
            "numéro de série."
        ),
    },
    "servicenow": {
        "name": "ServiceNow",
        # Hardware assets (alm_hardware) list, Export > CSV or Excel: the CSV's headers are the field names
        # (asset_tag, serial_number, model_category, install_status), the Excel's the labels of the user's
        # language (« Asset tag », « Model category », « State »); references and choices as display values.
        "signature": [
            "model category",
            "install status",
            "substatus",
            "substate",
            "display name",
            "asset tag",
            "assigned to",
            "warranty expiration",
            "configuration item",
            "categorie de modele",
            "etiquette d actif",
            "sous etat",
            "expiration de la garantie",
        ],
        "aliases": {
            C.ASSET_TAG: ["asset tag", "etiquette d actif", "etiquette de l actif"],
            C.SERIAL: ["serial number", "numero de serie"],
            # "Computer", "Computer Peripheral", "Handheld Computing Device": the model tells the type.
            C.TYPE: ["model category", "categorie de modele"],
            C.MODEL: ["model", "modele"],
            C.PURCHASE_DATE: ["purchase date", "purchased", "date d achat", "achete"],
            C.NET_BOOK_VALUE: ["depreciated amount", "valeur amortie", "residual value", "valeur residuelle"],
            # « State » is the asset's lifecycle (In use, Retired, In stock), not its condition.
            "": [
                "display name",
                "nom d affichage",
                "state",
                "install status",
                "etat",
                "substatus",
                "substate",
                "sous etat",
                "assigned to",
                "attribue a",
                "assigned",
                "managed by",
                "owned by",
                "location",
                "emplacement",
                "company",
                "societe",
                "department",
                "service",
                "cost center",
                "centre de couts",
                "cost",
                "cout",
                "warranty expiration",
                "expiration de la garantie",
                "configuration item",
                "element de configuration",
                "ci",
                "po number",
                "numero de bon de commande",
                "vendor",
                "fournisseur",
                "stockroom",
                "magasin",
                "updated",
                "mis a jour",
                "sys updated on",
                "sys id",
            ],
        },
    },
    "graph": {
        "name": "Microsoft Graph (Intune managedDevices)",
        # A script's export of Intune's devices through Microsoft Graph (Get-MgDeviceManagementManagedDevice or
        # Get-MgBetaDeviceManagementManagedDevice | Export-Csv): the managedDevice resource's property names
        # (learn.microsoft.com/graph/api/resources/intune-devices-manageddevice), sizes in bytes as their names
        # say; chassisType is the device's kind (intune-devices-chassistype), deviceType its platform (iPhone,
        # macMDM, androidForWork: intune-shared-devicetype), not read for the type.
        "signature": [
            "azureaddeviceid",
            "userprincipalname",
            "enrolleddatetime",
            "lastsyncdatetime",
            "manageddevicename",
            "manageddeviceownertype",
            "compliancestate",
            "managementagent",
            "deviceenrollmenttype",
            "deviceregistrationstate",
            "physicalmemoryinbytes",
            "totalstoragespaceinbytes",
        ],
        "aliases": {
            C.TYPE: ["chassistype"],
            C.BRAND: ["manufacturer"],
            C.MODEL: ["model"],
            C.SERIAL: ["serialnumber"],
            C.OS: ["operatingsystem"],
            C.RAM: ["physicalmemoryinbytes"],
            C.STORAGE: ["totalstoragespaceinbytes"],
            "": ["devicetype", "devicename", "manageddevicename", "osversion", "freestoragespaceinbytes"]
            + ["devicecategorydisplayname", "userprincipalname", "userdisplayname", "emailaddress", "id"]
            + ["azureaddeviceid", "enrolleddatetime", "lastsyncdatetime", "compliancestate", "imei", "meid"]
            + ["manageddeviceownertype", "managementagent", "deviceenrollmenttype", "wifimacaddress"],
        },
        "units": {C.RAM: SizeUnit.BYTES, C.STORAGE: SizeUnit.BYTES},
        # chassisType's members: a workstation is a desktop; « unknown », « mobileOther » and « mobileUnknown »
        # say nothing, and the type is then inferred from the system and the model.
        "type_codes": {
            "worksWorkstation": "Desktop",
            "enterpriseServer": "Server",
            "phone": "Smartphone",
            "unknown": "",
            "mobileOther": "",
            "mobileUnknown": "",
        },
    },
    "sccm": {
        "name": "Microsoft Configuration Manager (SCCM)",
        # A hardware inventory query on the site database's views, saved as CSV with its column names
        # (Microsoft Learn, « Hardware inventory views in Configuration Manager »: v_GS_COMPUTER_SYSTEM's Name0,
        # Manufacturer0, Model0; v_GS_PC_BIOS's SerialNumber0; v_GS_SYSTEM_ENCLOSURE's ChassisTypes0;
        # v_GS_X86_PC_MEMORY's TotalPhysicalMemory0 in KB; v_GS_OPERATING_SYSTEM's Caption0).
        "signature": [
            "resourceid",
            "netbios name0",
            "name0",
            "manufacturer0",
            "model0",
            "serialnumber0",
            "chassistypes0",
            "totalphysicalmemory0",
            "caption0",
            "user name0",
        ],
        "aliases": {
            C.BRAND: ["manufacturer0"],
            C.MODEL: ["model0"],
            C.SERIAL: ["serialnumber0"],
            C.TYPE: ["chassistypes0"],
            C.RAM: ["totalphysicalmemory0"],
            C.OS: ["caption0"],
            "": [
                "resourceid",
                "netbios name0",
                "name0",
                "user name0",
                "ad site name0",
                "version0",
                "csdversion0",
            ]
            + ["smbiosassettag0", "domain0", "username0", "lastlogonuser0", "systemtype0", "timestamp"],
        },
        "units": {C.RAM: SizeUnit.KB},
        # Win32_SystemEnclosure.ChassisTypes as the SMBIOS specification numbers them (DSP0134, 7.4.1).
        "type_codes": {
            "3": "Desktop",
            "4": "Low Profile Desktop",
            "5": "Pizza Box",
            "6": "Mini Tower",
            "7": "Tower",
            "8": "Portable",
            "9": "Laptop",
            "10": "Notebook",
            "11": "Hand Held",
            "12": "Docking Station",
            "13": "All in One",
            "14": "Sub Notebook",
            "15": "Space-saving",
            "16": "Lunch Box",
            "17": "Main Server Chassis",
            "23": "Rack Mount Chassis",
            "30": "Tablet",
            "31": "Convertible",
            "32": "Detachable",
            "35": "Mini PC",
            "36": "Stick PC",
        },
    },
}
