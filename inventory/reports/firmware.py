"""The drive's own erasure commands, as a technician saves them from a terminal: ATA Secure Erase (`hdparm
--security-erase` or `--security-erase-enhanced`), NVMe Format with Secure Erase Settings (`nvme format --ses=1`
or `--ses=2`) and NVMe Sanitize (`nvme sanitize`, then `nvme sanitize-log`). NIST SP 800-88 counts them as Purge.

What each tool prints (their public sources: hdparm.c's do_set_security, nvme-cli's format and sanitize-log):
- hdparm: " Issuing SECURITY_ERASE command, password="p", user=user", then nothing when the drive reports success,
  or "SECURITY_ERASE: <error>" (or "ERASE_PREPARE: …"). The erase ends by switching the drive's security off:
  `hdparm -I` run afterwards says « not enabled » in its Security section; a drive that did not finish keeps its
  password (« enabled », often « locked »).
- nvme format: "Success formatting namespace:1", or "NVMe status: …". Only the command line says whether a
  secure erase was asked (--ses=1 user data erase, --ses=2 cryptographic erase; 0 erases nothing).
- nvme sanitize-log: "Sanitize Status (SSTAT) :  0x101" (bits 2:0: 1 or 4 completed, 2 in progress, 3 failed,
  0 never sanitized; bit 8, Global Data Erased, says nothing was written since) and "Sanitize Command Dword 10
  Information (SCDW10) :  0x2" (action: 2 block erase, 3 overwrite, 4 crypto erase).

None of them names the drive: its serial comes from `smartctl -i`, `hdparm -I` or `nvme id-ctrl` saved in the
same file, and the file is refused, saying what to add, when it is missing or when several drives are named.
A record is "verified" only on the drive's own statement that the command completed (security switched off,
format success, sanitize status completed); anything else is refused or recorded as failed, never as erased.
"""

import re

from django.utils.translation import gettext as _

from inventory.enums import ErasureMethod
from inventory.reports.common import ReportError, clean_serial, make_from_model, medium_kind
from inventory.reports.entries import Entry, Report

HDPARM_ERASE = re.compile(r"Issuing SECURITY_ERASE command")
NVME_FORMAT = re.compile(r"Success formatting namespace|^\S*[#$>]?\s*(?:sudo\s+)?nvme format\b", re.MULTILINE)
NVME_SANITIZE = re.compile(r"\(SSTAT\)\s*:")

SERIALS = re.compile(r"^\s*(?:Serial Number|Serial number|sn)\s*:\s*(\S.*?)\s*$", re.MULTILINE)
MODELS = re.compile(r"^\s*(?:Model Number|Device Model|Product|mn)\s*:\s*(\S.*?)\s*$", re.MULTILINE)
# smartctl writes the bytes with the locale's thousands separator: "500,107,862,016", "500 107 862 016" (fr_FR).
CAPACITY = re.compile(
    r"^\s*(?:User Capacity|Total NVM Capacity)\s*:\s*([\d.,'\s\u00a0\u202f]+?)\s*(?:bytes)?\s*\[",
    re.MULTILINE,
)

SANITIZE_ACTIONS = {2: "Block Erase", 3: "Overwrite", 4: "Crypto Erase"}
# SSTAT bit 8, Global Data Erased: nothing was written to the drive since its latest sanitize completed. A log
# saying « completed » without it tells of a sanitize the drive has been written over since (an old one, done by a
# refurbisher before the donor used the device, or before an OS was installed on it).
GLOBAL_DATA_ERASED = 0x100


def is_firmware_transcript(text: str) -> bool:
    return bool(HDPARM_ERASE.search(text) or NVME_FORMAT.search(text) or NVME_SANITIZE.search(text))


def parse_firmware_transcript(text: str) -> Report:
    if HDPARM_ERASE.search(text):
        tool, version, (method, succeeded, verified, why) = (
            "hdparm",
            _version(text, r"hdparm v(\d+\.\d+)"),
            _hdparm(text),
        )
    elif NVME_SANITIZE.search(text):
        tool, version, (method, succeeded, verified, why) = "nvme-cli", _nvme_version(text), _sanitize(text)
    else:
        tool, version, (method, succeeded, verified, why) = "nvme-cli", _nvme_version(text), _format(text)
    serials = list(
        dict.fromkeys(serial for found in SERIALS.findall(text) if (serial := clean_serial(found)))
    )
    if len(serials) > 1:
        raise ReportError(
            _(
                "Ce fichier nomme plusieurs disques (numéros de série %(serials)s) : enregistrez chaque effacement "
                "dans son propre fichier, avec la sortie de « smartctl -i » du seul disque effacé."
            )
            % {"serials": ", ".join(serials)}
        )
    missing = []
    if succeeded is None:
        missing.append(
            _(
                "la sortie de « hdparm -I » relevée après l’effacement (sa section Security dit alors « not enabled »)"
            )
        )
    if not serials:
        missing.append(
            _("le numéro de série du disque (sortie de « smartctl -i », « hdparm -I » ou « nvme id-ctrl »)")
        )
    if not version:
        missing.append(_("la version de l’outil (« %(command)s »)") % {"command": _VERSION_COMMANDS[tool]})
    if missing:
        raise ReportError(
            _("Sortie de %(tool)s incomplète : ajoutez dans le même fichier %(missing)s.")
            % {"tool": tool, "missing": " ; ".join(missing)}
        )
    model = next(iter(MODELS.findall(text)), "")[:120]
    capacity = CAPACITY.search(text)
    digits = re.sub(r"\D", "", capacity.group(1)) if capacity else ""
    entry = Entry(
        serial=serials[0],
        make=make_from_model(model),
        model=model,
        kind=medium_kind(model=model, protocol="nvme" if tool == "nvme-cli" else ""),
        capacity_gb=round(int(digits) / 1_000_000_000) if digits and int(digits) >= 1_000_000_000 else None,
        method=method,
        passes=1,
        verified=bool(verified),
        succeeded=bool(succeeded),
        failure=why,
        level=ErasureMethod.PURGE,
    )
    return Report(kind=tool, tool=tool, tool_version=version, entries=[entry])


_VERSION_COMMANDS = {"hdparm": "hdparm -V", "nvme-cli": "nvme version"}


def _version(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    return match.group(1) if match else ""


def _nvme_version(text: str) -> str:
    return _version(text, r"(?<!lib)nvme version (\d+\.\d+(?:\.\d+)?)")


def _hdparm(text: str) -> tuple[str, bool | None, bool | None, str]:
    """(method, succeeded, verified, why not); None when the file does not show the drive's state after the
    erase."""
    # The last attempt counts: a technician retries after unfreezing the drive.
    issued = list(HDPARM_ERASE.finditer(text))[-1]
    commands = re.findall(r"--security-erase(-enhanced)?\b", text[: issued.start()])
    method = "ATA Enhanced Secure Erase" if commands and commands[-1] else "ATA Secure Erase"
    after = text[issued.end() :]
    refused = re.search(r"^\s*((?:SECURITY_ERASE|ERASE_PREPARE)\s*:.*?)\s*$", after, re.MULTILINE)
    if refused:
        return (
            method,
            False,
            False,
            _("le disque a refusé la commande (« %(error)s »)") % {"error": refused.group(1)},
        )
    # The Security section of `hdparm -I` run after the erase: "\tnot\tenabled" once the drive has finished.
    security = re.search(r"^Security:\s*\n((?:[ \t].*\n?)+)", after, re.MULTILINE)
    if security is None:
        return method, None, None, ""
    finished = re.search(r"^\s*not\s+enabled\s*$", security.group(1), re.MULTILINE) is not None
    why = _("le disque n’a pas terminé l’effacement : « hdparm -I » le dit encore protégé par mot de passe")
    return method, finished, finished, "" if finished else why


def _format(text: str) -> tuple[str, bool, bool, str]:
    command = next(reversed(list(re.finditer(r"nvme format\b[^\n]*", text))), None)
    ses = re.search(r"(?:--ses[= ]\s*|-s\s*)([0-7])\b", command.group(0)) if command else None
    if ses is None or ses.group(1) not in ("1", "2"):
        raise ReportError(
            _(
                "Sortie de « nvme format » sans effacement sécurisé : seule la commande lancée avec --ses=1 ou "
                "--ses=2 efface les données ; enregistrez la ligne de commande avec sa sortie."
            )
        )
    method = "NVMe Format (Cryptographic Erase)" if ses.group(1) == "2" else "NVMe Format (User Data Erase)"
    answer = text[command.end() :]
    done = bool(re.search(r"Success formatting namespace", answer))
    status = re.search(r"^\s*(NVMe status:.*?)\s*$", answer, re.MULTILINE)
    why = _("« nvme format » ne confirme pas le formatage (« %(answer)s »)") % {
        "answer": status.group(1) if status else _("pas de réponse enregistrée")
    }
    return method, done, done, "" if done else why


def _sanitize(text: str) -> tuple[str, bool, bool, str]:
    # The last sanitize-log of the file: technicians poll it until the operation ends.
    sstat = int(re.findall(r"\(SSTAT\)\s*:\s*(0x[0-9a-fA-F]+|\d+)", text)[-1], 0)
    status = sstat & 0x7
    action = re.findall(r"\(SCDW10\)\s*:\s*(0x[0-9a-fA-F]+|\d+)", text)
    method = "NVMe Sanitize"
    if action and int(action[-1], 0) & 0x7 in SANITIZE_ACTIONS:
        method += f" ({SANITIZE_ACTIONS[int(action[-1], 0) & 0x7]})"
    if status == 2:
        raise ReportError(
            _(
                "Le journal « nvme sanitize-log » dit l’opération en cours : relancez-le une fois le sanitize "
                "terminé et enregistrez cette sortie-là."
            )
        )
    done = status in (1, 4)
    if done and not sstat & GLOBAL_DATA_ERASED:
        raise ReportError(
            _(
                "Le journal « nvme sanitize-log » dit le disque réécrit depuis son dernier sanitize (bit « Global "
                "Data Erased » à 0) : ce sanitize, peut-être ancien, ne prouve pas l’effacement des données "
                "actuelles. Relancez « nvme sanitize », puis enregistrez « nvme sanitize-log » avant toute "
                "écriture sur le disque."
            )
        )
    why = {
        0: _("« nvme sanitize-log » dit le disque jamais sanitisé"),
        3: _("« nvme sanitize-log » dit le dernier sanitize en échec"),
    }.get(status, _("« nvme sanitize-log » donne un état inconnu (%(sstat)s)") % {"sstat": hex(sstat)})
    return method, done, done, "" if done else why
