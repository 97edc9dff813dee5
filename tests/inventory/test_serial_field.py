"""A serial is stored as `serial_text` makes it (spaces trimmed and collapsed, invisible characters removed, a
firmware placeholder such as « To Be Filled By O.E.M. » stored as no serial), whichever path writes it: a site or
admin form (`to_python`), a save (`pre_save`), `QuerySet.update` and `bulk_create` (`get_prep_value`). The
lookups by serial (`serial__iexact=serial_text(...)`) then find what was stored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from donations.models import LotItem
from inventory.models import Device, ErasureRecord, StorageMediumRecord
from reuse.serials import serial_text
from tests.factories.donations import LotFactory, LotItemFactory
from tests.factories.inventory import DeviceFactory

SERIAL_FIELDS = [
    Device._meta.get_field("serial"),
    LotItem._meta.get_field("serial"),
    StorageMediumRecord._meta.get_field("serial"),
    ErasureRecord._meta.get_field("media_serial"),
]

serials = st.one_of(
    st.text(alphabet=st.sampled_from("aZ09-_/ .\t\u00a0\u200b\u202e\u2066\ufeff"), max_size=30),
    st.sampled_from(["To Be Filled By O.E.M.", "Default string", " 00000000 ", "XXXXXXXX", "Unknown"]),
    st.text(max_size=30),
)


@pytest.mark.parametrize("field", SERIAL_FIELDS, ids=str)
@given(value=serials)
def test_every_write_path_of_a_serial_stores_its_serial_text(field, value):
    """A form (to_python), `QuerySet.update`, `bulk_create` and a lookup (get_prep_value) store `serial_text`."""
    assert field.to_python(value) == serial_text(value)
    assert field.get_prep_value(value) == serial_text(value)
    assert serial_text(serial_text(value)) == serial_text(value)


@pytest.mark.django_db
def test_a_bulk_update_and_a_save_store_a_devices_serial_as_serial_text():
    device = DeviceFactory(serial="  c02x\u200b  1234 ")
    device.refresh_from_db()
    assert device.serial == "c02x 1234"
    Device.objects.filter(pk=device.pk).update(serial="To Be Filled By O.E.M.")
    assert Device.objects.values_list("serial", flat=True).get() == ""


@pytest.mark.django_db
def test_a_manifest_line_written_by_bulk_create_stores_its_serial_as_serial_text():
    lot = LotFactory()
    LotItem.objects.bulk_create(
        [
            LotItemFactory.build(lot=lot, serial=" PF1\u202eABC "),
            LotItemFactory.build(lot=lot, serial="Default string"),
        ]
    )
    assert sorted(LotItem.objects.values_list("serial", flat=True)) == ["", "PF1ABC"]


@pytest.mark.django_db
def test_a_manifest_serial_is_unique_in_its_lot_whatever_the_case():
    """As the devices' (inventory 0011): « pf1abc » typed on the manifest page is the « PF1ABC » a file gave."""
    item = LotItemFactory(serial="PF1ABC")
    with pytest.raises(Exception, match="(?i)unique"):
        LotItemFactory(lot=item.lot, serial="pf1abc")
