"""The device page's specs form saves what the technician changed, not the whole page as it was when opened: a
value the API (PATCH), a hardware snapshot or a colleague changed meanwhile is kept.

Before: the form compared what it posted with the device as it is at the moment of saving, so every field the
technician left as shown but someone had changed since counted as « changed » and was written back, silently
undoing the other change (RAM from a snapshot back to the old value)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from inventory.models import Device
from inventory.services.devices import update_device
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """What a browser posts for the form whose action is `action`: its inputs, selected options and textareas."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.values = action, False, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("checkbox", "submit"):
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.lstrip("\n")


def shown_form(client, device) -> tuple[str, dict]:
    action = reverse("inventory:device_specs", args=[device.asset_tag])
    parser = _FormValues(action)
    parser.feed(client.get(reverse("inventory:device", args=[device.asset_tag])).content.decode())
    assert parser.values.get("brand") == device.brand  # the specs form was found
    return action, parser.values


def test_a_value_changed_while_the_form_was_open_is_kept_and_the_technicians_change_saved(client, technician):
    device = DeviceFactory(workshop=technician.memberships.get().organisation, ram_gb=8, diagnostics="")
    client.force_login(technician)
    action, values = shown_form(client, device)

    update_device(device=device, actor=technician, ram_gb=16)  # the API or a snapshot, meanwhile
    response = client.post(action, {**values, "diagnostics": "Écran rayé en bas à gauche."})

    assert response.status_code == 302
    device = Device.objects.get(pk=device.pk)
    assert (device.ram_gb, device.diagnostics) == (16, "Écran rayé en bas à gauche.")


def test_a_value_the_technician_changed_is_saved_even_if_it_changed_meanwhile(client, technician):
    device = DeviceFactory(workshop=technician.memberships.get().organisation, ram_gb=8)
    client.force_login(technician)
    action, values = shown_form(client, device)

    update_device(device=device, actor=technician, ram_gb=16)
    client.post(action, {**values, "ram_gb": "32"})

    assert Device.objects.get(pk=device.pk).ram_gb == 32
