"""What the stock list and the device page render once and keep (the device page's forms, the workshop's
navigation, the stock list's filter form) never shows a stale value, whatever wrote the change."""

import re

import pytest
from django.urls import reverse

from inventory.enums import DeviceState, Grade
from inventory.models import Device
from tests.factories.donations import LotFactory
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def _field(page: str, field_id: str) -> str:
    """The HTML of the form field with this id: its input, or its select or textarea with what they hold."""
    found = re.search(
        rf'<(select|textarea)[^>]*id="{field_id}"[^>]*>.*?</\1>|<input[^>]*id="{field_id}"[^>]*>', page, re.S
    )
    assert found, field_id
    return found.group(0)


def test_the_device_page_shows_a_price_grade_spec_and_state_written_behind_its_back(bench_client, workshop):
    device = DeviceFactory(
        workshop=workshop, state=DeviceState.READY, grade=Grade.B, brand="Lenovo", ram_gb=8
    )
    url = reverse("inventory:device", args=[device.asset_tag])
    page = bench_client.get(url).content.decode()
    assert 'value="8"' in _field(page, "spec_ram_gb") and 'value="Lenovo"' in _field(page, "spec_brand")
    assert '<option value="B" selected>' in _field(page, "price_grade")
    # A write that sends no signal and calls no save(): the page must still show it on the next request.
    Device.objects.filter(pk=device.pk).update(
        state=DeviceState.IN_REPAIR, grade=Grade.A, price_cents=4550, brand="Dell", ram_gb=16
    )
    page = bench_client.get(url).content.decode()
    assert 'value="16"' in _field(page, "spec_ram_gb") and 'value="Dell"' in _field(page, "spec_brand")
    assert '<option value="A" selected>' in _field(page, "price_grade")
    assert 'value="45,50"' in _field(page, "price_price_euros")
    assert '<span class="badge">En réparation</span>' in page


def test_a_refused_edit_shows_what_was_typed_then_the_stored_values_again(bench_client, workshop):
    device = DeviceFactory(workshop=workshop, battery_health=80)
    url = reverse("inventory:device", args=[device.asset_tag])
    bench_client.get(url)
    refused = bench_client.post(
        reverse("inventory:device_specs", args=[device.asset_tag]),
        {"type": "laptop", "battery_health": "140", "media_count": "1"},
    )
    assert refused.status_code == 422
    assert 'value="140"' in _field(refused.content.decode(), "spec_battery_health")
    assert 'value="80"' in _field(bench_client.get(url).content.decode(), "spec_battery_health")


def test_the_stock_list_shows_a_state_and_a_price_written_behind_its_back(bench_client, workshop):
    device = DeviceFactory(workshop=workshop, model="Latitude 5490")
    stock = reverse("inventory:stock")
    assert "Reçu</td>" in bench_client.get(stock).content.decode()
    Device.objects.filter(pk=device.pk).update(state=DeviceState.READY, price_cents=1990)
    page = bench_client.get(stock).content.decode()
    assert '<td data-label="État">Prêt</td>' in page and "19,90\u00a0€" in page


def test_stock_rows_escape_every_value(bench_client, workshop):
    lot = LotFactory(assigned=True, workshop=workshop, title="Lot <b>& co</b>")
    DeviceFactory(workshop=workshop, lot=lot, brand='"><script>alert(1)</script>', model="<i>T480</i>")
    page = bench_client.get(reverse("inventory:stock")).content.decode()
    assert "<script>alert" not in page and "<i>T480" not in page and "<b>&" not in page
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; &lt;i&gt;T480&lt;/i&gt;</td>" in page
    assert '<td data-label="Lot">Lot &lt;b&gt;&amp; co&lt;/b&gt;</td>' in page


def test_the_filter_form_offers_a_lot_assigned_after_it_was_kept(
    bench_client, workshop, django_capture_on_commit_callbacks
):
    stock = reverse("inventory:stock")
    first = LotFactory(assigned=True, workshop=workshop, title="Premier lot")
    DeviceFactory(workshop=workshop, lot=first)
    assert "Premier lot" in bench_client.get(stock).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second = LotFactory(assigned=True, workshop=workshop, title="Second lot")
    page = bench_client.get(stock).content.decode()
    assert f'<option value="{second.pk}">Second lot' in page
    # A chosen lot is checked against the workshop's lots and stays selected.
    chosen = bench_client.get(stock, {"lot": first.pk}).content.decode()
    assert f'<option value="{first.pk}" selected>Premier lot' in chosen


def test_the_workshop_navigation_marks_the_current_page_only(bench_client, workshop):
    stock = reverse("inventory:stock")
    page = bench_client.get(stock).content.decode()
    assert f'<a href="{stock}" aria-current="page">' in page
    device = DeviceFactory(workshop=workshop)
    page = bench_client.get(reverse("inventory:device", args=[device.asset_tag])).content.decode()
    assert "data-workshop-nav" in page and 'aria-current="page"' not in page
