"""What an erasure report says, whichever tool wrote it: one entry per medium (inventory/reports/erasures.py and
nwipe.py read the formats into it)."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from inventory.enums import ErasureMethod
from inventory.reports import common

# The NIST SP 800-88 level of an erasure written from the computer, sector after sector (nwipe's every method,
# eReuse Workbench's EraseBasic and EraseSectors): Clear, whatever the pattern and the number of passes. Only the
# drive's own firmware (ATA Secure Erase, NVMe Format or Sanitize, a cryptographic erase) reaches Purge, and no
# report proves a destruction: the technician's choice never raises what the method reached.
OVERWRITE_LEVEL = ErasureMethod.CLEAR

# The method of a report that names the drive's own erasure command (NIST SP 800-88 Rev. 1, table A-1: ATA Secure
# Erase, Sanitize's block, overwrite or cryptographic erase, NVMe Format with Secure Erase Settings), and the one
# of an overwrite written from the computer (a pattern, passes, a named overwriting standard).
FIRMWARE_METHOD = re.compile(
    r"secure[\s_-]*erase|sanitiz|crypto|block[\s_-]*erase|--ses|\bses\s*=", re.IGNORECASE
)
OVERWRITE_METHOD = re.compile(
    r"overwrit|\bzero|random|prng|\bpass|\bdod\b|5220|gutmann|hmg|\bfill|shred|\bdd\b|écras|passe",
    re.IGNORECASE,
)


def method_level(method: str) -> str:
    """The NIST SP 800-88 level an erasure method reaches, as its report names it: « purge » for the drive's own
    command, « clear » for an overwrite, "" when the name tells neither (the technician chooses at import)."""
    if FIRMWARE_METHOD.search(method or ""):
        return ErasureMethod.PURGE
    return OVERWRITE_LEVEL if OVERWRITE_METHOD.search(method or "") else ""


def level_of(method: str, stated: str) -> tuple[str, str]:
    """The level to record for a medium whose report states `stated` (or nothing) for `method`, and why the
    medium is set aside ("" when it is not): the level follows from the method, and a stated level above what the
    method reaches (or a destruction, which no report proves) is a claim the report does not back."""
    reached = method_level(method)
    if stated == ErasureMethod.DESTROY:
        return "", _(
            "un rapport d’effacement ne prouve pas une destruction (enregistrez-la sur la page de l’appareil)"
        )
    if stated == ErasureMethod.PURGE and reached != ErasureMethod.PURGE:
        return "", _(
            "le rapport annonce « purge », mais sa méthode « %(method)s » n’est pas une commande d’effacement du "
            "disque lui-même (Secure Erase, Sanitize, effacement cryptographique) : un écrasement atteint « clear »"
        ) % {"method": method}
    return reached or stated, ""


@dataclass
class Entry(common.Medium):
    """One medium of a report, and what was done to it."""

    method: str = ""
    passes: int | None = None
    verified: bool = False
    succeeded: bool = False
    level: str = ""
    finished: datetime | None = None
    # Why the medium cannot be recorded from the report (its serial unreadable, its result missing): the other
    # media of the report are recorded, this one is named in the answer for the technician to record by hand.
    unreadable: str = ""
    # Why the report does not prove this medium erased (its status, errors, a missing verification), as the
    # tool's own words tell it: what the technician reads beside the drive recorded as not verified.
    failure: str = ""

    @property
    def ok(self) -> bool:
        return self.succeeded and self.verified

    @property
    def doubt(self) -> str:
        """Why the erasure is not proof ("" when it is): the reader's reason, else what the report lacks."""
        if self.ok:
            return ""
        if self.failure:
            return self.failure
        if not self.succeeded:
            return _("l’outil ne le dit pas effacé")
        return _("l’outil ne dit pas l’effacement vérifié")


@dataclass
class Report:
    kind: str
    tool: str
    tool_version: str = ""
    host_serial: str = ""
    entries: list[Entry] = field(default_factory=list)
    # Drives the report lists in the machine but did not erase (left out of the run): they hold data still.
    unerased: list[common.Medium] = field(default_factory=list)
    # The device they were added to as its media (inventory/reports/apply.py), when it is sure which one it is.
    unerased_on: str = ""


def no_serial() -> str:
    """Why a medium whose serial the tool could not read (nwipe writes « Unknown » for a drive behind a USB bridge
    and for some NVMe drives) is set aside: a serial is what ties an erasure to a device."""
    return _("l’outil n’a pas pu lire son numéro de série")


# How far ahead of Rebond's clock a bench's clock may run (a drifting clock, a time zone read as another) before
# the date a report gives an erasure is one that has not come yet.
CLOCK_SLACK = timedelta(days=1)


def set_aside_future(report: Report) -> None:
    """Set aside the media a report says were erased at a date still to come: that date is what the donor's
    certificate would print, and a report dated ahead was written on a wrong clock or by hand. The others are
    recorded; the technician records these by hand, with the real date."""
    limit = timezone.now() + CLOCK_SLACK
    for entry in report.entries:
        if entry.finished and entry.finished > limit and not entry.unreadable:
            entry.unreadable = _(
                "le rapport date son effacement du %(date)s, qui n’est pas encore venu (horloge de la machine "
                "déréglée, ou rapport modifié)"
            ) % {"date": timezone.localtime(entry.finished).strftime("%d/%m/%Y %H:%M")}


def set_aside_twins(report: Report) -> None:
    """Set aside the media of a report that share a serial and an end: two drives the tool could not tell apart
    (a USB bridge, a batch of drives giving one serial), one of which may have failed while the other passed. A
    drive erased twice (Blancco's retried erasure, two runs of an nwipe log) has two ends and is not concerned."""
    seen: dict[tuple, int] = {}
    for entry in report.entries:
        if entry.serial and not entry.unreadable:
            key = (entry.serial.casefold(), entry.finished)
            seen[key] = seen.get(key, 0) + 1
    for entry in report.entries:
        if entry.serial and not entry.unreadable and seen[(entry.serial.casefold(), entry.finished)] > 1:
            entry.unreadable = _(
                "un autre support du rapport porte le même numéro de série %(serial)s : l’outil ne permet pas "
                "de savoir lequel a été effacé"
            ) % {"serial": entry.serial}


def set_aside(report: Report) -> list[tuple[int, Entry]]:
    """The media a report names but that cannot be recorded from it, with their place in the report (1, 2…)."""
    return [(position, entry) for position, entry in enumerate(report.entries, start=1) if entry.unreadable]


def not_proven_message(report: Report, serials: list[str]) -> str:
    """Which of the recorded media the report does not prove erased (`serials`), each with its reason."""
    doubts = {entry.serial.casefold(): entry.doubt for entry in report.entries if not entry.unreadable}
    if not serials:
        return ""
    return _("Sans vérification réussie : %(list)s.") % {
        "list": " ; ".join(
            f"{serial} ({doubts[serial.casefold()]})" if doubts.get(serial.casefold()) else serial
            for serial in serials
        )
    }


def unerased_message(report: Report) -> str:
    """What the technician reads about the drives the report found in the machine without erasing them, once
    they were added to the device's media. Those of a machine that is not in the stock (the bench's own disk)
    are not the workshop's concern."""
    if not report.unerased or not report.unerased_on:
        return ""
    return _(
        "Le rapport liste aussi dans la machine, sans l’effacer : %(list)s. Ce support est ajouté à ceux de "
        "l’appareil %(tag)s, qui ne sera proposé qu’une fois ce support effacé (ou sa destruction enregistrée)."
    ) % {
        "list": " ; ".join(
            ", ".join(part for part in (medium.serial, medium.model) if part) for medium in report.unerased
        ),
        "tag": report.unerased_on,
    }


def set_aside_message(report: Report) -> str:
    """What the technician reads about the media set aside: which ones (place, model, size), why, what to do."""
    described = []
    for position, entry in set_aside(report):
        what = ", ".join(
            part
            for part in (
                entry.model or _("modèle inconnu"),
                _("%(n)s Go") % {"n": entry.capacity_gb} if entry.capacity_gb else "",
            )
            if part
        )
        described.append(
            _("support n° %(n)s (%(what)s) : %(why)s")
            % {"n": position, "what": what, "why": entry.unreadable}
        )
    if not described:
        return ""
    return _(
        "Non enregistré(s) : %(list)s. Enregistrez cet effacement sur la page de l’appareil qui contient ce "
        "support (« Enregistrer un effacement »), avec le numéro de série imprimé sur l’étiquette du support."
    ) % {"list": " ; ".join(described)}


def local_time(text: str, pattern: str) -> datetime | None:
    try:
        return timezone.make_aware(datetime.strptime(text.strip(), pattern))
    except (ValueError, TypeError):
        return None


def iso_time(text) -> datetime | None:
    """An ISO 8601 moment as a report writes it ("Z" or an offset; without one, local time), or None."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
