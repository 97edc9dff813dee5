"""The drive's own erasure commands saved from a terminal (NIST SP 800-88 Purge): ATA Secure Erase with hdparm,
NVMe Format with Secure Erase Settings and NVMe Sanitize with nvme-cli.

The samples are written as the tools print them: hdparm's do_set_security (" Issuing SECURITY_ERASE command,
password="p", user=user", "SECURITY_ERASE: <error>") and `hdparm -I`'s Security section as tinyapps.org's « ATA
Secure Erase (SE) and hdparm » shows it; nvme-cli 2.8 (github.com/linux-nvme/nvme-cli: plugin.c's version line,
nvme-print-stdout.c's id-ctrl and sanitize-log, nvme.c's "Success formatting namespace:1"); smartctl 7.3's
`-i` text (ataprint.cpp), whose byte counts take the locale's thousands separator (utility.cpp,
format_with_thousands_sep: a narrow no-break space in French).
"""

import pytest

from inventory.models import ErasureRecord, ErasureReport, StorageMediumRecord
from inventory.reports import uploads as reports
from inventory.reports.erasures import parse_erasure_report
from inventory.reports.firmware import parse_firmware_transcript
from reuse.errors import DomainError
from tests.inventory.bench_samples import imported, sample

HDPARM = sample("hdparm_secure_erase_t480.txt").decode()
SANITIZE = sample("nvme_sanitize_elitebook_840.txt").decode()
FORMAT = SANITIZE[: SANITIZE.index("$ sudo nvme sanitize ")] + (
    "$ sudo nvme format /dev/nvme0n1 --ses=1\nSuccess formatting namespace:1\n"
)


@pytest.mark.django_db
def test_an_ata_secure_erase_transcript_records_a_verified_purge(workshop, technician, fleet):
    [outcome] = imported(workshop, technician, "hdparm_secure_erase_t480.txt", device=fleet["t480"])

    assert outcome.ok, outcome.message
    record = ErasureRecord.objects.get(device=fleet["t480"])
    assert (
        record.media_serial,
        record.method,
        record.verified,
        record.tool,
        record.tool_version,
        record.notes,
    ) == (
        "S3Z1NB0K512345A",
        "purge",
        True,
        "hdparm",
        "9.65",
        "ATA Enhanced Secure Erase",
    )
    # smartctl -i in a French locale: "500 107 862 016 bytes" with narrow no-break spaces.
    assert StorageMediumRecord.objects.get(device=fleet["t480"]).capacity_gb == 500


@pytest.mark.django_db
def test_an_nvme_sanitize_log_records_a_verified_purge_of_the_known_drive(workshop, technician, fleet):
    imported(workshop, technician, "lshw_elitebook_840.json")
    [outcome] = imported(workshop, technician, "nvme_sanitize_elitebook_840.txt")

    assert outcome.ok, outcome.message
    record = ErasureRecord.objects.get(device=fleet["elitebook"])
    assert (record.media_serial, record.method, record.verified, record.notes, record.media_type) == (
        "S4ELNX0N123456",
        "purge",
        True,
        "NVMe Sanitize (Block Erase)",
        "nvme",
    )


@pytest.mark.parametrize(
    "text, method, why",
    [
        # SECURITY ERASE UNIT refused by the drive: hdparm's perror, and the drive keeps its password.
        (
            HDPARM.replace(" user=user\nroot@", " user=user\nSECURITY_ERASE: Input/output error\nroot@"),
            "ATA",
            "le disque a refusé la commande (« SECURITY_ERASE: Input/output error »)",
        ),
        # Power lost during the erase: the drive comes back with security enabled and locked.
        (
            HDPARM.replace("\tnot\tenabled\n\tnot\tlocked", "\t\tenabled\n\t\tlocked"),
            "ATA",
            "le disque n’a pas terminé l’effacement : « hdparm -I » le dit encore protégé par mot de passe",
        ),
        (
            SANITIZE.replace("0x101", "0x103"),
            "NVMe Sanitize",
            "« nvme sanitize-log » dit le dernier sanitize en échec",
        ),
        (
            SANITIZE.replace("0x101", "0x100"),
            "NVMe Sanitize",
            "« nvme sanitize-log » dit le disque jamais sanitisé",
        ),
        (
            FORMAT.replace("Success formatting namespace:1", "NVMe status: Access Denied(0x4286)"),
            "NVMe Format",
            "« nvme format » ne confirme pas le formatage (« NVMe status: Access Denied(0x4286) »)",
        ),
    ],
    ids=["hdparm_error", "hdparm_still_locked", "sanitize_failed", "never_sanitized", "format_refused"],
)
def test_a_firmware_erasure_the_drive_did_not_complete_is_never_an_erasure(text, method, why):
    [entry] = parse_firmware_transcript(text).entries

    assert entry.method.startswith(method)
    assert not entry.succeeded and not entry.ok
    # What the technician reads beside the drive, in the import's answer.
    assert entry.doubt == why


def test_the_last_attempt_of_a_retried_secure_erase_is_the_one_that_counts():
    # A frozen drive refuses the first attempt; the technician suspends the machine and runs it again.
    first = HDPARM.index("root@shredos:~# hdparm --user-master u --security-erase-enhanced")
    failed_attempt = (
        "root@shredos:~# hdparm --user-master u --security-erase p /dev/sda\n"
        'security_password="p"\n\n/dev/sda:\n Issuing SECURITY_ERASE command, password="p", user=user\n'
        "SECURITY_ERASE: Input/output error\n"
    )
    [entry] = parse_firmware_transcript(HDPARM[:first] + failed_attempt + HDPARM[first:]).entries

    assert (entry.method, entry.ok) == ("ATA Enhanced Secure Erase", True)


def test_nvme_format_with_secure_erase_settings_is_a_purge():
    [entry] = parse_firmware_transcript(FORMAT).entries
    [crypto] = parse_firmware_transcript(FORMAT.replace("--ses=1", "-s 2")).entries

    assert (entry.method, entry.ok, entry.level) == ("NVMe Format (User Data Erase)", True, "purge")
    assert (crypto.method, crypto.ok) == ("NVMe Format (Cryptographic Erase)", True)


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param(
            HDPARM[
                HDPARM.index("root@shredos:~# hdparm --user-master") : HDPARM.index(
                    "root@shredos:~# hdparm -I"
                )
            ],
            "Sortie de hdparm incomplète : ajoutez dans le même fichier la sortie de « hdparm -I » relevée après "
            "l’effacement (sa section Security dit alors « not enabled ») ; le numéro de série du disque",
            id="no_security_state_after_the_erase",
        ),
        pytest.param(
            "root@shredos:~# hdparm -V\nhdparm v9.65\n"
            + HDPARM[HDPARM.index("root@shredos:~# hdparm --user-master") : HDPARM.index("ATA device,")]
            + HDPARM[HDPARM.index("Security:") :].replace("S3Z1NB0K512345A", ""),
            "Sortie de hdparm incomplète : ajoutez dans le même fichier le numéro de série du disque (sortie de "
            "« smartctl -i », « hdparm -I » ou « nvme id-ctrl »)",
            id="no_serial",
        ),
        pytest.param(
            SANITIZE.replace("nvme version 2.8 (git 2.8)\n", ""),
            "Sortie de nvme-cli incomplète : ajoutez dans le même fichier la version de l’outil (« nvme version »)",
            id="no_version",
        ),
        pytest.param(
            SANITIZE + SANITIZE.replace("S4ELNX0N123456", "S4ELNX0N999999"),
            "plusieurs disques (numéros de série S4ELNX0N123456, S4ELNX0N999999)",
            id="two_drives",
        ),
        pytest.param(
            SANITIZE.replace("0x101", "0x102"),
            "dit l’opération en cours : relancez-le",
            id="sanitize_running",
        ),
        pytest.param(
            # SSTAT 0x001: the latest sanitize completed, but Global Data Erased (bit 8) is clear: the drive was
            # written since (a refurbisher's sanitize years ago, the donor's data after it).
            SANITIZE.replace("$ sudo nvme sanitize /dev/nvme0 --sanact=0x02\n", "").replace("0x101", "0x1"),
            "dit le disque réécrit depuis son dernier sanitize",
            id="sanitize_log_of_an_older_sanitize",
        ),
        pytest.param(
            FORMAT.replace("--ses=1", "--ses=0"),
            "Sortie de « nvme format » sans effacement sécurisé",
            id="format_without_secure_erase",
        ),
    ],
)
def test_a_transcript_that_proves_nothing_is_refused_saying_what_to_add(text, message):
    with pytest.raises(DomainError) as refused:
        parse_erasure_report(text.encode())

    assert message in refused.value.message
    assert "\n" not in refused.value.message


@pytest.mark.django_db
def test_a_refused_transcript_writes_nothing_and_names_what_is_missing(workshop, technician, fleet):
    # The first line of a copy-paste is short ("security_password="p"") and sniffs as a table: the import still
    # says what the transcript lacks, not "fichier non reconnu".
    text = HDPARM[HDPARM.index('security_password="p"\n\n/dev/sda:\n Issuing SECURITY_ERASE') :]
    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="erase.txt", data=text.encode(), device=fleet["t480"]
    )

    assert not outcome.ok and outcome.message.startswith("Sortie de hdparm incomplète"), outcome.message
    assert not ErasureRecord.objects.exists() and not ErasureReport.objects.exists()


# `nvme sanitize-log /dev/nvme0 -o json` as nvme-cli 2.8 prints it (nvme-print-json.c, json_sanitize_log: the device
# name as key, SSTAT split into global_erased, no_cmplted_passes and its status sentence; 1.x writes "status"
# where 2.x writes the sentence as key); its values are those of the EliteBook sample.
SANITIZE_JSON = """{
  "nvme0":{
    "sprog":65535,
    "sstat":{
      "global_erased":1,
      "no_cmplted_passes":1,
      "Most Recent Sanitize Command Completed Successfully.":"(1) Most Recent Sanitize Command Completed Successfully."
    },
    "cdw10_info":2,
    "time_over_write":4294967295,
    "time_block_erase":4294967295,
    "time_crypto_erase":4294967295,
    "time_over_write_no_dealloc":4294967295,
    "time_block_erase_no_dealloc":4294967295,
    "time_crypto_erase_no_dealloc":4294967295
  }
}
"""


@pytest.mark.django_db
def test_a_json_sanitize_log_is_refused_saying_it_names_no_drive_and_what_to_save(
    workshop, technician, fleet
):
    imported(workshop, technician, "lshw_elitebook_840.json")

    [outcome] = reports.import_upload(
        workshop=workshop, actor=technician, filename="sanitize.json", data=SANITIZE_JSON.encode()
    )

    assert not outcome.ok
    assert "« nvme sanitize-log -o json »" in outcome.message, outcome.message
    assert "nvme id-ctrl" in outcome.message
    assert not ErasureRecord.objects.exists()
