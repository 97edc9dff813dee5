"""The erasure rule, in one place: a data-bearing device is never listed, reserved or handed over without a
latest-verified erasure of each of its media.

`check` reads the device as it is about to be written (or as it was just written) and refuses when the rule does
not hold. It runs wherever the rule's inputs change:
- `Device.save()`: every edit of a stored device (API PATCH, forms, CSV import, snapshots, the admin, the
  lifecycle's moves): turning a listed laptop's `media_count` to 0, or a listed screen into a laptop, is refused
  the same way whatever path tries it;
- `ErasureRecord.save()`: a failed erasure recorded on a device already online;
- the lifecycle's guards (inventory.transitions), for the bench mode's batch moves, which write with one UPDATE.
A device is created `received` by every path (check-in, import, admin), where the rule does not apply yet.
"""

from django.utils.translation import gettext as _

from inventory.enums import DATA_BEARING_TYPES, DeviceState, ErasureMethod
from reuse.errors import IllegalTransition

# The states in which the device has left the workshop's hands or is offered to someone.
GUARDED_STATES = frozenset({DeviceState.LISTED, DeviceState.RESERVED, DeviceState.HANDED_OVER})


def latest_by_medium(outcomes) -> dict[str, bool]:
    """{media serial: verified} of each medium's latest erasure, from (media serial, verified) pairs in the order
    the erasures were done."""
    return dict(outcomes)


def media_outcomes(erasures) -> dict[str, bool]:
    """The same from erasure records already read (prefetched, in the order they were done)."""
    return latest_by_medium((erasure.media_serial, erasure.verified) for erasure in erasures)


def media_status(device) -> dict[str, bool]:
    """The outcome of the latest erasure of each medium of the device: {media_serial: verified}."""
    if device.pk is None or getattr(device, "has_erasure_records", None) is False:
        return {}
    return latest_by_medium(
        device.erasures.order_by("performed_at", "pk").values_list("media_serial", "verified")
    )


def erasure_state(device, latest: dict[str, bool]) -> str:
    """The device's erasure as this rule judges it, from its media's latest outcomes (`latest_by_medium`):
    'verified', 'failed' (a medium's latest erasure failed), 'incomplete' (media without any erasure), 'none'
    (never erased) or 'no_data' (holds no data)."""
    if not all(latest.values()):
        return "failed"
    data_bearing = device.type in DATA_BEARING_TYPES and device.media_count > 0
    if not latest:
        return "none" if data_bearing else "no_data"
    if data_bearing and len(latest) < device.media_count:
        return "incomplete"
    return "verified"


def failed_media(device) -> list[str]:
    return sorted(serial for serial, verified in media_status(device).items() if not verified)


def failing_media(media, erasures) -> list[str]:
    """The serials of the media whose drive announced its own failure (SMART) at its latest probe and that were
    not destroyed since (a verified « destroy » erasure): a device is not listed with one. A later probe that
    passes, or the medium's recorded destruction once it is replaced, clears it. Reads rows already fetched."""
    destroyed = {
        erasure.media_serial.upper()
        for erasure in erasures
        if erasure.method == ErasureMethod.DESTROY and erasure.verified
    }
    return sorted(
        medium.serial
        for medium in media
        if medium.smart_passed is False and medium.serial.upper() not in destroyed
    )


def refuse_failing_media(device) -> None:
    """Refuse (IllegalTransition, 409) to list a device with a medium that announced its own failure."""
    failing = (
        failing_media(device.media.filter(smart_passed=False), device.erasures.all()) if device.pk else []
    )
    if failing:
        raise _failing_error(failing)


def _media_refusal(message: str, media: list[str]) -> IllegalTransition:
    """The 409 a media rule answers: `message` (translated, with %(media)s) naming the media that hold the device
    back, so that each rule says what it refuses in the same form."""
    return IllegalTransition(message % {"media": ", ".join(media)}, code="illegal_transition")


def _failing_error(failing: list[str]) -> IllegalTransition:
    return _media_refusal(
        _(
            "Le disque %(media)s annonce lui-même une panne (SMART) : remplacez-le (enregistrez sa "
            "destruction, puis relevez et effacez le nouveau) avant de mettre l’appareil en ligne, ou "
            "orientez l’appareil vers les pièces."
        ),
        failing,
    )


def unerased_media(media, erasures) -> list[str]:
    """The serials of the media a probe found in the device whose latest erasure is not a verified one (never
    erased, or failed): whatever `media_count` says, a drive the workshop's own probe saw holds data until its
    erasure (or destruction) is recorded. Reads rows already fetched, erasures in the order they were done."""
    latest = latest_by_medium((erasure.media_serial.upper(), erasure.verified) for erasure in erasures)
    return sorted(medium.serial for medium in media if not latest.get(medium.serial.upper(), False))


def unfit_media(device) -> tuple[list[str], list[str]]:
    """(failing, unerased): the device's media that announced their own failure, and those found without a
    verified erasure. A household is never offered nor handed a device with either."""
    if device.pk is None:
        return [], []
    media = list(device.media.all())
    if not media:
        return [], []
    erasures = list(device.erasures.order_by("performed_at", "pk"))
    return failing_media(media, erasures), unerased_media(media, erasures)


def refuse_unfit_media(device) -> None:
    """Refuse (IllegalTransition, 409) a device with a failing drive or a medium found without erasure."""
    failing, unerased = unfit_media(device)
    if failing:
        raise _failing_error(failing)
    if unerased:
        raise _media_refusal(
            _(
                "Le support %(media)s a été relevé dans l’appareil sans effacement vérifié : effacez-le (ou "
                "enregistrez sa destruction) avant de proposer l’appareil."
            ),
            unerased,
        )


def erasure_missing(device) -> int:
    """How many media still lack a verified erasure (0 for a device that holds no data)."""
    if device.type not in DATA_BEARING_TYPES:
        return 0
    verified = sum(1 for ok in media_status(device).values() if ok)
    return max(device.media_count - verified, 0)


def refuse_failed_media(device) -> None:
    """Refuse (IllegalTransition, 409) a device one of whose media failed its latest erasure: two ways out, a
    new verified erasure of that medium, or recycling/parts."""
    failed = failed_media(device)
    if failed:
        raise _media_refusal(
            _(
                "L’effacement du support %(media)s a échoué : refaites un effacement vérifié, "
                "ou orientez l’appareil vers le recyclage ou les pièces détachées."
            ),
            failed,
        )


def check(device, *, leaving: bool | None = None) -> None:
    """Refuse (IllegalTransition, 409) a device in a guarded state whose media are not all erased and verified.

    `leaving=True` checks a device about to enter a guarded state (a lifecycle guard, before the move).
    """
    if leaving is None:
        leaving = device.state in GUARDED_STATES
    if not leaving or device.type not in DATA_BEARING_TYPES:
        return
    refuse_failed_media(device)
    missing = erasure_missing(device)
    if missing:
        raise IllegalTransition(
            _(
                "L’appareil %(tag)s contient des données : il manque un effacement vérifié pour "
                "%(count)s support(s) sur %(total)s. Il ne peut pas être mis en ligne."
            )
            % {"tag": device.asset_tag, "count": missing, "total": device.media_count}
        )
