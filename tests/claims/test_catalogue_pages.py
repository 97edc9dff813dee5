"""The catalogue on SQLite: filters and stable keyset pages, the public API with its cursor, the device page."""

import io

import pytest

from inventory.enums import DeviceState
from tests.factories.accounts import member_of
from tests.factories.inventory import DeviceFactory

pytestmark = pytest.mark.django_db


def test_catalogue_filters_and_keyset_pages_are_stable(client, programme):
    laptops = [DeviceFactory(listed=True, price_cents=1000 * i) for i in range(1, 26)]
    DeviceFactory(listed=True, phone=True)
    DeviceFactory(listed=True, state=DeviceState.READY)
    page = client.get("/catalogue/", {"type": "laptop", "max_price": "240"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="device-card"') == 20
    assert "centimes" not in html  # the API's cent bound stays out of the web form
    assert html.count('<option value="" selected>Indifférent</option>') == 3  # RAM, storage, keyboard
    next_link = page.context["next_url"]
    assert next_link
    second = client.get("/catalogue/" + next_link)
    assert second.content.decode().count('class="device-card"') == 4
    shown = {d.pk for d in page.context["devices"]} | {d.pk for d in second.context["devices"]}
    assert shown == {d.pk for d in laptops if d.price_cents <= 24000}
    assert client.get("/catalogue/", {"near": "93200", "radius_km": "10"}).context["devices"]
    assert not client.get("/catalogue/", {"near": "13001", "radius_km": "10"}).context["devices"]
    assert not client.get("/catalogue/", {"min_ram_gb": "16"}).context["devices"]


def test_catalogue_api_is_public_with_cursor(api_client, programme):
    for _ in range(5):
        DeviceFactory(listed=True)
    DeviceFactory(listed=True, phone=True)
    first = api_client.get("/api/v1/catalogue", type="laptop", limit=3).json()
    assert [set(item) for item in first["items"]][0] == {
        "id",
        "type",
        "brand",
        "model",
        "grade",
        "price_cents",
        "workshop",
    }
    second = api_client.get("/api/v1/catalogue", type="laptop", limit=3, cursor=first["next_cursor"]).json()
    assert len(first["items"]) == 3 and len(second["items"]) == 2 and second["next_cursor"] is None
    assert api_client.get("/api/v1/catalogue", limit=101).status_code == 422


def test_device_page_speaks_plain_words(client, programme):
    device = DeviceFactory(listed=True)
    html = client.get(f"/catalogue/{device.pk}/").content.decode()
    assert "visio, travail scolaire, bureautique" in html
    # Opening hours in words, not in the OpenStreetMap syntax the workshop typed.
    assert "<li>lundi – vendredi : 09:00–17:00</li>" in html and "Mo-Fr" not in html
    assert device.workshop.address in html


def test_device_page_shows_the_workshop_photos_as_lazy_thumbnails(client, programme):

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from inventory.photos import add_photo

    device = DeviceFactory(listed=True)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "teal").save(buffer, "JPEG")
    photo = add_photo(
        device=device, actor=member_of(device.workshop), upload=SimpleUploadedFile("p.jpg", buffer.getvalue())
    )
    html = client.get(f"/catalogue/{device.pk}/").content.decode()
    assert f'src="{photo.thumbnail.url}" loading="lazy"' in html
    assert photo.thumbnail.url.endswith(".webp")


def test_a_tablets_screen_and_battery_are_written_the_english_way(client, programme):
    tablet = DeviceFactory(listed=True, type="tablet", screen_inches="10.2", battery_health=86)
    french = client.get(f"/catalogue/{tablet.pk}/").content.decode()
    assert "<dt>Écran</dt><dd>10,2 pouces</dd>" in french
    english = client.get(f"/catalogue/{tablet.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dt>Screen</dt><dd>10.2 inches</dd>" in english and "86% of its original capacity" in english


def test_a_devices_grade_is_its_condition_in_english_not_a_status(client, programme):
    DeviceFactory(listed=True, grade="A")
    english = client.get("/catalogue/", {"grade": "A"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_grade">Condition</label>' in english and "<p>Condition A · " in english
    assert "<p>État A · " in client.get("/catalogue/").content.decode()


def test_a_device_photo_keeps_its_place_while_it_loads_on_a_slow_line(client, programme):
    """Without width and height the page jumps when a thumbnail arrives (the « Réserver » button moves under the
    finger); with them the browser holds the photo's box from the start (HTML's « width » and « height »
    attributes give the aspect ratio, the stylesheet's « height: auto » keeps it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from inventory.photos import add_photo

    device = DeviceFactory(listed=True)
    technician = member_of(device.workshop)
    for size in [(1200, 1600), (1600, 900)]:  # a phone held upright, a wide shot
        buffer = io.BytesIO()
        Image.new("RGB", size, "teal").save(buffer, "JPEG")
        add_photo(device=device, actor=technician, upload=SimpleUploadedFile("p.jpg", buffer.getvalue()))
    pages = [client.get(f"/catalogue/{device.pk}/")]
    client.force_login(technician)
    pages.append(client.get(f"/atelier/appareils/{device.asset_tag}/"))
    for page in pages:
        html = page.content.decode()
        assert 'width="225" height="300"' in html and 'width="400" height="225"' in html, page.request
