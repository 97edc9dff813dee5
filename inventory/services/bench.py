"""Bench mode: a technician scans tags or serials one after the other and applies one action to each."""

import re
from dataclasses import dataclass, field

from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from inventory import texts
from inventory.enums import DeviceState
from inventory.models import Device
from inventory.scans import (
    SCANNER_LAYOUT_NOTICE,
    Pick,
    ambiguous_message,
    from_us_scanner,
    pick,
    read_as,
    read_scan,
    scan_readings,
    typed_on_azerty,
)
from inventory.services.devices import normalise_code
from inventory.services.intake import check_in
from inventory.transitions import apply_transition_batch
from reuse.accounts.models import Organisation, User
from reuse.errors import DomainError, InvalidInput

BENCH_MOVES = (DeviceState.IN_REPAIR, DeviceState.READY, DeviceState.LISTED, DeviceState.PARTS)
BENCH_CHECK_IN = "checkin"
BENCH_LABELS = "labels"
BENCH_CHUNK = 200


@dataclass
class BenchResult:
    code: str
    ok: bool
    message: str
    tag: str = ""
    warnings: list[str] = field(default_factory=list)
    notice: str = ""

    def as_dict(self):
        return {
            "code": self.code,
            "ok": self.ok,
            "message": str(self.message),
            "tag": self.tag,
            "warnings": [str(w) for w in self.warnings],
            "notice": str(self.notice),
        }


def serial_candidates(code: str) -> list[str]:
    """What a scanned serial may be: the code itself, then the serial a maker's label carries in it (scans.py)."""
    return [reading.code for reading in scan_readings(code)]


def serials_in_stock(stock, codes: list[str]) -> dict[str, set]:
    """{serial in capitals: {(device id, asset tag)}} for the devices whose serial a scan may be (any case)."""
    wanted = {candidate.upper() for code in codes for candidate in serial_candidates(code)}
    found: dict[str, set] = {}
    rows = stock.annotate(serial_upper=Upper("serial")).filter(serial_upper__in=wanted)
    for serial, pk, tag in rows.values_list("serial_upper", "pk", "asset_tag"):
        found.setdefault(serial, set()).add((pk, tag))
    return found


def serial_matches(code: str, by_serial: dict[str, set]) -> set:
    """The (device id, asset tag) of the devices of `by_serial` (serials_in_stock) whose serial `code` may be."""
    return {match for candidate in serial_candidates(code) for match in by_serial.get(candidate.upper(), ())}


def serial_pick(code: str, by_serial: dict[str, set]) -> Pick:
    """The one device of `by_serial` a scanned `code` names (scans.pick), or the readings that name several."""
    return pick(scan_readings(code), lambda candidate: by_serial.get(candidate.upper(), ()))


def ambiguous_scan_message(code: str, found: Pick) -> str:
    """Several devices one serial (two lots' devices): scan the label; a code read two ways: name both."""
    codes = {reading.code.upper(): reading.code for reading, _key in found.ambiguous}
    if len(codes) == 1:
        return _("Plusieurs appareils portent ce numéro de série : scannez l’étiquette Rebond.")
    return ambiguous_message(code, codes.values())


def split_codes(text: str) -> list[str]:
    """The codes of one submission: separated by blanks, commas or semicolons. What a US-keyboard scanner typed
    on AZERTY stays whole: its "," is an "m" and its ";" a "," (rebond.example.org comes as rebond:exq,ple:org).
    So does a GS1 code: the GS (\\x1d) between its fields, which Python counts as a blank, is not a separator."""
    codes = []
    for token in re.split(r"[^\S\x1d]+", text.strip()):
        if not token:
            continue
        codes += [token] if typed_on_azerty(token) else [code for code in re.split(r"[,;]", token) if code]
    return codes


def bench_apply(
    *,
    workshop: Organisation,
    actor: User,
    action: str,
    codes: list[str],
    lot=None,
    device_type: str = "",
) -> list[BenchResult]:
    """Apply one action to each scanned code, one after the other; a refusal never stops the batch.

    `lot` is one of `intake.lots_for_check_in(workshop)`, for the check-in action only.
    """
    results, read_back = [], {}
    read = [read_scan(code) for code in codes]
    codes = [code for code, _corrected in read]
    corrected = {code for code, was_corrected in read if was_corrected}
    if action == BENCH_CHECK_IN:
        known_tags = dict(
            Device.objects.filter(
                workshop=workshop, asset_tag__in=[normalise_code(code) for code in codes]
            ).values_list("asset_tag", "pk")
        )
        for code in codes:
            if normalise_code(code) in known_tags:
                # A Rebond label scanned again at check-in: the device is already in stock.
                tag = normalise_code(code)
                results.append(
                    BenchResult(code, True, _("Déjà reçu : étiquette %(tag)s.") % {"tag": tag}, tag)
                )
                continue
            try:
                outcome = check_in(workshop=workshop, actor=actor, serial=code, lot=lot, type=device_type)
            except DomainError as exc:
                results.append(BenchResult(code, False, exc.message))
                continue
            message = (
                _("Reçu : étiquette %(tag)s.") if outcome.created else _("Déjà reçu : étiquette %(tag)s.")
            )
            read_back[code] = outcome.read_as
            results.append(
                BenchResult(
                    code,
                    True,
                    message % {"tag": outcome.device.asset_tag},
                    outcome.device.asset_tag,
                    outcome.warnings,
                )
            )
        return _say_corrected(results, corrected, read_back)
    if action != BENCH_LABELS and action not in BENCH_MOVES:
        raise InvalidInput(_("Action inconnue."))
    stock = Device.objects.filter(workshop=workshop)
    by_tag = dict(
        stock.filter(asset_tag__in=[normalise_code(code) for code in codes]).values_list("asset_tag", "pk")
    )
    missing = [code for code in codes if normalise_code(code) not in by_tag]
    by_serial = serials_in_stock(stock, missing) if missing else {}
    # A code of letters only bears no sign of a US-keyboard scanner on AZERTY (its A and Q, W and Z swapped): what
    # is found neither by tag nor by serial is looked for again as that scanner meant it, and read so if found.
    meant = {code: from_us_scanner(code) for code in missing if not serial_matches(code, by_serial)}
    meant = {code: read for code, read in meant.items() if read != code}
    if meant:
        tags = [normalise_code(read) for read in meant.values()]
        by_tag.update(stock.filter(asset_tag__in=tags).values_list("asset_tag", "pk"))
        by_serial.update(serials_in_stock(stock, list(meant.values())))
        found = {
            code
            for code, read in meant.items()
            if normalise_code(read) in by_tag or serial_matches(read, by_serial)
        }
        codes = [meant[code] if code in found else code for code in codes]
        corrected.update(meant[code] for code in found)
    resolved, ambiguous = [], {}
    for code in codes:
        tag = normalise_code(code)
        if tag in by_tag:
            resolved.append((code, tag, by_tag[tag]))
            continue
        found = serial_pick(code, by_serial)
        if found.ambiguous:
            ambiguous[code] = ambiguous_scan_message(code, found)
            resolved.append((code, tag, None))
        elif found.key:
            pk, tag = found.key
            read_back[code] = read_as(code, found.reading)
            resolved.append((code, tag, pk))
        else:
            resolved.append((code, tag, None))
    outcomes = {}
    if action != BENCH_LABELS:
        ids = list({pk for _code, _tag, pk in resolved if pk is not None})
        for start in range(0, len(ids), BENCH_CHUNK):
            # One short transaction per chunk: the same rules as one scan, without a commit per scan.
            outcomes.update(
                apply_transition_batch(
                    device_ids=ids[start : start + BENCH_CHUNK], to=action, actor=actor, note=texts.BENCH()
                )
            )
    seen = set()
    # Each state's message translated once per batch, not once per scan (get_state_display() translates every
    # choice of the field on each call: most of a 1,000-scan batch's time went there).
    moved_messages = {}
    for code, tag, pk in resolved:
        if pk is None and code in ambiguous:
            results.append(BenchResult(code, False, ambiguous[code]))
        elif pk is None:
            results.append(
                BenchResult(code, False, _("Étiquette ou numéro de série inconnu dans votre stock."))
            )
        elif action == BENCH_LABELS:
            results.append(BenchResult(code, True, _("Ajouté à la planche d’étiquettes."), tag))
        elif pk in seen:
            results.append(BenchResult(code, False, _("Déjà scanné dans ce lot de scans."), tag))
        else:
            seen.add(pk)
            outcome = outcomes[pk]
            if isinstance(outcome, DomainError):
                results.append(BenchResult(code, False, outcome.message, tag))
            else:
                if outcome.state not in moved_messages:
                    label = outcome.get_state_display()
                    moved_messages[outcome.state] = _("Passé à « %(state)s ».") % {"state": label}
                results.append(BenchResult(code, True, moved_messages[outcome.state], tag))
    return _say_corrected(results, corrected, read_back)


def _say_corrected(
    results: list[BenchResult], corrected: set[str], read_back: dict[str, str]
) -> list[BenchResult]:
    """Each code read back says what it was read as (a maker's label), and, from a US-keyboard scanner on
    AZERTY, that it was, so that the scanner gets set right."""
    for result in results:
        said = [read_back.get(result.code, ""), SCANNER_LAYOUT_NOTICE if result.code in corrected else ""]
        result.notice = " ".join(str(text) for text in said if text)
    return results
