"""The stock list pages by keyset: every device once, in order, both ways, whatever the ties in dates."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from inventory.models import Device
from inventory.views import stock as stock_views
from tests.factories.inventory import DeviceFactory


def tags_in(response):
    return [device.asset_tag for device in response.context["devices"]]


def test_keyset_pages_walk_every_device_once_forwards_and_backwards(bench_client, workshop):
    DeviceFactory.create_batch(125, workshop=workshop)
    now = timezone.now()
    # Ties: sixty devices received in the same microsecond, the others spread over the year.
    ids = list(Device.objects.order_by("pk").values_list("pk", flat=True))
    Device.objects.filter(pk__in=ids[:60]).update(received_at=now - timedelta(days=3))
    for offset, pk in enumerate(ids[60:]):
        Device.objects.filter(pk=pk).update(received_at=now - timedelta(days=offset % 40, minutes=offset))
    expected = list(Device.objects.order_by("-received_at", "-pk").values_list("asset_tag", flat=True))
    url = reverse("inventory:stock")

    seen, response = [], bench_client.get(url)
    pages = 0
    while True:
        pages += 1
        seen += tags_in(response)
        assert len(tags_in(response)) <= stock_views.PAGE_SIZE
        if not response.context["next_url"]:
            break
        response = bench_client.get(url + response.context["next_url"])
    assert seen == expected and pages == 3
    assert response.context["total"] == 125

    backwards, response = [], bench_client.get(url, {"fin": "1"})
    while True:
        backwards = tags_in(response) + backwards
        if not response.context["previous_url"]:
            break
        response = bench_client.get(url + response.context["previous_url"])
    assert backwards == expected


def test_a_damaged_cursor_opens_the_first_page(bench_client, workshop):
    DeviceFactory.create_batch(3, workshop=workshop)
    response = bench_client.get(reverse("inventory:stock"), {"apres": "n'importe quoi"})
    assert response.status_code == 200 and len(tags_in(response)) == 3


def test_filtered_counts_match_the_list(bench_client, workshop):
    listed = {"listed": True, "price_cents": 2000, "model": "ThinkPad T480", "erased": False}
    DeviceFactory.create_batch(4, workshop=workshop, **listed)
    DeviceFactory.create_batch(2, workshop=workshop, **listed, grade="A")
    DeviceFactory.create_batch(3, workshop=workshop)
    response = bench_client.get(reverse("inventory:stock"), {"grade": "B"})
    counts = dict(response.context["counts"])
    assert counts["listed"] == 4 and counts["received"] == 0 and response.context["total"] == 4
    response = bench_client.get(reverse("inventory:stock"), {"state": "received"})
    assert response.context["total"] == 3 and len(tags_in(response)) == 3


def test_a_search_beyond_the_cap_says_more_than(bench_client, workshop, monkeypatch):
    monkeypatch.setattr(stock_views, "COUNT_CAP", 3)
    DeviceFactory.create_batch(5, workshop=workshop, model="Latitude 5490")
    page = bench_client.get(reverse("inventory:stock"), {"q": "latitude"}).content.decode()
    assert "Plus de 3 appareils" in page
    page = bench_client.get(reverse("inventory:stock"), {"q": "latitude", "age": "7"}).content.decode()
    assert "Plus de 3 appareils" in page
