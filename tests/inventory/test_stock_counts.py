"""The counts per state kept by the database equal a fresh COUNT after any sequence of writes, by any path."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory import counts, stock_import
from inventory.enums import DeviceState, DeviceType, ErasureMethod
from inventory.models import Device, StockCount
from inventory.services.bench import BENCH_MOVES, bench_apply
from inventory.services.devices import TERMINAL_STATES, move, price_and_list, update_device
from inventory.services.erasures import record_erasure
from inventory.services.intake import check_in
from reuse.errors import DomainError
from tests.factories.accounts import MembershipFactory, OrganisationFactory, member_of

STATES = list(DeviceState.values)
TYPES = [DeviceType.LAPTOP, DeviceType.MONITOR, DeviceType.SMARTPHONE]
GRADES = ["", "A", "B", "C"]

operations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "check_in",
                "move",
                "list",
                "batch",
                "specs",
                "erase",
                "import",
                "bulk",
                "delete",
                "admin_edit",
                "raw_update",
            ]
        ),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(STATES),
        st.sampled_from(TYPES),
        st.sampled_from(GRADES),
    ),
    min_size=1,
    max_size=12,
)


def assert_counts_are_fresh(workshops, *, every_scope=True):
    scopes = [None, [w.pk for w in workshops], [workshops[0].pk]] if every_scope else [[workshops[1].pk]]
    for scope, device_type, grade in itertools.product(scopes, ["", *TYPES], GRADES):
        kept = counts.state_counts(scope, type=device_type, grade=grade)
        fresh = counts.fresh_counts(scope, type=device_type, grade=grade)
        assert kept == fresh, (scope, device_type, grade)


# Hypothesis runs its examples in one database transaction: serials and tags stay unique across them.
SERIALS = itertools.count()


class Sequence:
    def __init__(self, workshops, actor):
        self.workshops = workshops
        self.actor = actor
        self.serial = SERIALS

    def device(self, number):
        devices = list(Device.objects.order_by("pk"))
        return devices[number % len(devices)] if devices else None

    def run(self, operation, number, state, device_type, grade):
        workshop = self.workshops[number % 2]
        device = self.device(number)
        try:
            getattr(self, operation)(workshop, device, number, state, device_type, grade)
        except DomainError:
            pass  # a refused move writes nothing: the counts must still hold

    def check_in(self, workshop, device, number, state, device_type, grade):
        check_in(workshop=workshop, actor=self.actor, serial=f"HC{next(self.serial)}", type=device_type)

    def move(self, workshop, device, number, state, device_type, grade):
        if device is not None:
            move(device=device, actor=self.actor, to=state)

    def list(self, workshop, device, number, state, device_type, grade):
        if device is not None:
            price_and_list(device=device, actor=self.actor, price_cents=1000, grade=grade or "B")

    def batch(self, workshop, device, number, state, device_type, grade):
        tags = list(Device.objects.filter(workshop=workshop).values_list("asset_tag", flat=True)[:5])
        action = BENCH_MOVES[number % len(BENCH_MOVES)]
        bench_apply(workshop=workshop, actor=self.actor, action=action, codes=tags)

    def specs(self, workshop, device, number, state, device_type, grade):
        if device is not None:
            update_device(device=device, actor=self.actor, type=device_type, grade=grade)

    def erase(self, workshop, device, number, state, device_type, grade):
        if device is not None:
            record_erasure(
                device=device,
                operator=self.actor,
                method=ErasureMethod.PURGE,
                tool="nwipe",
                tool_version="0.34",
                media_serial=f"DISK-{device.pk}",
                verified=True,
            )

    def import_(self, workshop, device, number, state, device_type, grade):
        existing = Device.objects.filter(workshop=workshop).exclude(serial="").first()
        rows = [f"IMP{next(self.serial)};{device_type};{grade}"]
        if existing is not None and existing.state not in TERMINAL_STATES:
            rows.append(f"{existing.serial};{device_type};{grade}")
        data = ("serial;type;grade\n" + "\n".join(rows) + "\n").encode()
        stock_import.import_stock_csv(workshop=workshop, actor=self.actor, data=data)

    def bulk(self, workshop, device, number, state, device_type, grade):
        Device.objects.bulk_create(
            Device(
                workshop=workshop,
                asset_tag=f"BK{next(self.serial):06d}",
                type=device_type,
                state=state,
                grade=grade,
                price_cents=0,
            )
            for _ in range(number % 4)
        )

    def delete(self, workshop, device, number, state, device_type, grade):
        # Devices loaded in bulk have no history (history rows protect the others from deletion).
        doomed = list(
            Device.objects.filter(asset_tag__startswith="BK", events__isnull=True, erasures__isnull=True)
            .values_list("pk", flat=True)
            .distinct()[:2]
        )
        Device.objects.filter(pk__in=doomed).delete()

    def admin_edit(self, workshop, device, number, state, device_type, grade):
        if device is not None:
            device.type, device.grade = device_type, grade
            device.save()

    def raw_update(self, workshop, device, number, state, device_type, grade):
        Device.objects.filter(workshop=workshop, pk__lte=number).update(grade=grade)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_counts_equal_a_fresh_count_after_any_sequence(db, steps):
    workshops = [OrganisationFactory(workshop=True), OrganisationFactory(workshop=True)]
    actor = member_of(workshops[0])
    MembershipFactory(user=actor, organisation=workshops[1])
    sequence = Sequence(workshops, actor)
    for operation, number, state, device_type, grade in steps:
        sequence.run("import_" if operation == "import" else operation, number, state, device_type, grade)
        assert_counts_are_fresh(workshops, every_scope=False)
    assert_counts_are_fresh(workshops)
    counts.compact()
    assert_counts_are_fresh(workshops)


def test_rebuild_recounts_from_the_devices(db):
    workshop = OrganisationFactory(workshop=True)
    check_in(workshop=workshop, actor=member_of(workshop), serial="R1", type=DeviceType.LAPTOP)
    counts.compact()
    StockCount.objects.update(n=99)
    assert counts.state_counts([workshop.pk]) != counts.fresh_counts([workshop.pk])
    counts.rebuild()
    assert counts.state_counts([workshop.pk]) == counts.fresh_counts([workshop.pk])
    assert dict(counts.state_counts([workshop.pk]))[DeviceState.RECEIVED] == 1
