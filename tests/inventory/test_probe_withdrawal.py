"""A new probe of a device households are offered: a drive announcing its own failure (smartctl's verdict) or a
medium nobody erased takes a listed device out of the catalogue, and keeps a reserved one from being handed over.

The probes are imported through the path the bench page and the API use (`uploads.import_upload`), from files
written the way smartctl writes them (tests/data/bench/): smartctl 7.3's `-x --json` for the T480's SATA SSD, and
the same drive failing its overall-health self-assessment (exit status 8, "DISK FAILING"; `smart_status.passed`
false; a prefailure attribute under its threshold, `"when_failed": "now"`).
"""

import pytest
from django.core import mail

from inventory.enums import DeviceState
from inventory.models import Device, DeviceEvent
from inventory.transitions import apply_transition
from reuse.claims.enums import ClaimStatus
from reuse.claims.handover import hand_over
from reuse.claims.services import reservations
from reuse.errors import DomainError, IllegalTransition
from tests import fixtures
from tests.factories.accounts import member_of
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory
from tests.inventory.bench_samples import imported

pytestmark = pytest.mark.django_db
programme = fixtures.programme
# Emails leave after the commit: here, at once.
_on_commit_runs_at_once = fixtures._on_commit_runs_at_once

T480_DRIVE = "S3Z1NB0K512345A"


@pytest.fixture
def listed_t480(db):
    """A free, listed ThinkPad T480 whose SSD was probed, wiped and verified before it went online."""
    device = DeviceFactory(
        listed=True, free=True, serial="PF1ABCDE", erased__media_serial=T480_DRIVE, erased__ssd=True
    )
    [probe] = imported(
        device.workshop, member_of(device.workshop), "smartctl_thinkpad_t480.json", device=device
    )
    assert probe.ok, probe.message
    return device


def history(device) -> list[tuple[str, str, str]]:
    return list(
        (e.from_state, e.to_state, e.shown_note)
        for e in DeviceEvent.objects.filter(device=device).order_by("pk")
    )


def test_a_failing_drive_found_on_a_listed_device_takes_it_out_of_the_catalogue(listed_t480):
    technician = member_of(listed_t480.workshop)

    [outcome] = imported(
        listed_t480.workshop, technician, "smartctl_thinkpad_t480_failing.json", device=listed_t480
    )

    assert outcome.ok, outcome.message
    device = Device.objects.get(pk=listed_t480.pk)
    assert device.state == DeviceState.IN_REPAIR
    assert not Device.objects.listed().filter(pk=device.pk).exists()
    *_, (before, after, note) = history(device)
    assert (before, after) == (DeviceState.LISTED, DeviceState.IN_REPAIR)
    assert T480_DRIVE in note and "SMART" in note
    assert "quitte le catalogue" in outcome.message
    # Listing it again is refused until the drive is replaced or passes a later probe.
    with pytest.raises(IllegalTransition):
        apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=technician)
    imported(listed_t480.workshop, technician, "smartctl_thinkpad_t480.json", device=device)
    assert apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=technician).state == "listed"


def test_a_healthy_probe_of_a_listed_device_leaves_it_listed(listed_t480):
    technician = member_of(listed_t480.workshop)

    [outcome] = imported(listed_t480.workshop, technician, "smartctl_thinkpad_t480.json", device=listed_t480)

    assert outcome.ok, outcome.message
    assert Device.objects.get(pk=listed_t480.pk).state == DeviceState.LISTED


def test_a_second_drive_found_unerased_on_a_listed_device_sends_it_back_to_ready(listed_t480):
    # The technician probes the laptop again and finds an NVMe drive nobody wiped: the import used to be
    # refused whole (the new count broke the erasure rule), the drive went unrecorded and the laptop stayed online.
    technician = member_of(listed_t480.workshop)

    [outcome] = imported(listed_t480.workshop, technician, "smartctl_elitebook_nvme.json", device=listed_t480)

    assert outcome.ok, outcome.message
    device = Device.objects.get(pk=listed_t480.pk)
    assert (device.state, device.media_count) == (DeviceState.READY, 2)
    *_, (before, after, note) = history(device)
    assert (before, after) == (DeviceState.LISTED, DeviceState.READY)
    assert "S4ELNX0N123456" in note and "sans effacement" in note


def test_a_failing_drive_on_a_reserved_device_blocks_its_handover_and_the_workshop_is_told(
    client, programme, listed_t480
):
    workshop = listed_t480.workshop
    technician = member_of(workshop, email="atelier-t480@example.org")
    household = eligible()
    claim = reservations.create_claim(actor=household, device_id=listed_t480.pk)
    assert claim.status == ClaimStatus.CONFIRMED  # free: nothing to pay, waiting for the handover
    mail.outbox.clear()

    [outcome] = imported(workshop, technician, "smartctl_thinkpad_t480_failing.json", device=listed_t480)

    assert outcome.ok, outcome.message
    assert "remise est refusée" in outcome.message
    device = Device.objects.get(pk=listed_t480.pk)
    assert device.state == DeviceState.RESERVED
    *_, (before, after, note) = history(device)
    assert before == after == DeviceState.RESERVED and T480_DRIVE in note
    [email] = [message for message in mail.outbox if message.to == ["atelier-t480@example.org"]]
    assert device.asset_tag in email.subject and T480_DRIVE in email.body
    client.force_login(technician)
    page = client.get(f"/atelier/appareils/{device.asset_tag}/").content.decode()
    assert "data-handover-blocked" in page and "sa remise est refusée" in page
    # The household is not handed the failing drive.
    with pytest.raises(DomainError) as refused:
        hand_over(actor=technician, claim_id=claim.pk, code=claim.handover_code)
    assert "SMART" in str(refused.value.message)
    assert Device.objects.get(pk=device.pk).state == DeviceState.RESERVED
    # Staff cancel the claim: the device returns to the catalogue and leaves it at once, to be repaired.
    reservations.cancel_claim(claim_id=claim.pk, actor=household)
    device = Device.objects.get(pk=device.pk)
    assert device.state == DeviceState.IN_REPAIR
    assert [(b, a) for b, a, _note in history(device)][-2:] == [
        (DeviceState.RESERVED, DeviceState.LISTED),
        (DeviceState.LISTED, DeviceState.IN_REPAIR),
    ]


def test_an_unerased_drive_found_on_a_reserved_device_blocks_its_handover(programme, listed_t480):
    technician = member_of(listed_t480.workshop)
    claim = reservations.create_claim(actor=eligible(), device_id=listed_t480.pk)

    [outcome] = imported(listed_t480.workshop, technician, "smartctl_elitebook_nvme.json", device=listed_t480)

    assert outcome.ok, outcome.message
    with pytest.raises(DomainError) as refused:
        hand_over(actor=technician, claim_id=claim.pk, code=claim.handover_code)
    assert "S4ELNX0N123456" in str(refused.value.message)
    assert Device.objects.get(pk=listed_t480.pk).state == DeviceState.RESERVED


def test_lowering_the_media_count_does_not_list_a_drive_the_probe_found_unerased(listed_t480):
    # A ready laptop whose probe found two drives, one wiped: typing « 1 support » does not list the other.
    technician = member_of(listed_t480.workshop)
    imported(listed_t480.workshop, technician, "smartctl_elitebook_nvme.json", device=listed_t480)
    device = Device.objects.get(pk=listed_t480.pk)
    device.media_count = 1
    device.save(update_fields=["media_count"])

    with pytest.raises(IllegalTransition) as refused:
        apply_transition(device_id=device.pk, to=DeviceState.LISTED, actor=technician)
    assert "S4ELNX0N123456" in str(refused.value.message)
