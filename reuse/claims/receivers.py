from django.dispatch import receiver

from inventory.signals import devices_listed
from reuse.claims.enums import WaitlistStatus
from reuse.claims.models import WaitlistEntry
from reuse.claims.tasks import offer_device_task


@receiver(devices_listed)
def offer_new_devices_to_the_waitlist(sender, device_ids, **kwargs):
    """A device that goes online is offered to the first household waiting for one like it."""
    if not WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).exists():
        return
    for device_id in device_ids:
        offer_device_task.delay(device_id)
