"""The erasure rule holds whatever the path and the order of the writes (a stateful property test).

"A data-bearing device is never listed, reserved or handed over without a latest-verified erasure of each of
its media", "nor listed or handed over with a drive its probe found failing (SMART) and not destroyed, or found
without erasure", "a listed device's price is within its programme's bounds", "an erasure record is never
changed nor removed". Hypothesis drives random sequences of edits (API PATCH, the device page's form, the CSV
import, the admin's edit and delete forms as staff), hardware probes (smartctl JSON as smartctl writes it,
through the API's report import), erasures and moves (API, bench mode) on one device and checks the rules,
read from the database with a computation of their own, after every step. Each refusal must be a clear one (a
4xx or a form error), never a 500.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from inventory import stock_import
from inventory.enums import DATA_BEARING_TYPES, DeviceState, DeviceType
from inventory.forms import DeviceForm
from inventory.models import Device, ErasureRecord, StorageMediumRecord
from inventory.services.bench import bench_apply
from inventory.transitions import apply_transition
from inventory.wagtail_hooks import DeviceViewSet
from reuse.accounts.models import Organisation, User
from reuse.accounts.services import issue_api_token
from reuse.claims.enums import OPEN_CLAIM_STATUSES
from reuse.claims.handover import hand_over
from reuse.claims.models import Claim
from reuse.errors import DomainError
from reuse.programmes.models import ProgrammePrice
from tests.factories.accounts import OrganisationFactory, UserFactory, member_of
from tests.factories.eligibility import eligible
from tests.factories.inventory import DeviceFactory, ErasureRecordFactory, WorkshopProfileFactory
from tests.factories.programmes import ProgrammeFactory, ProgrammePriceFactory
from tests.inventory.bench_samples import sample
from tests.security.machines import WorldMachine, run_machine

pytestmark = pytest.mark.django_db

GUARDED = {DeviceState.LISTED, DeviceState.RESERVED, DeviceState.HANDED_OVER}
# Two made-up serials, and the drives of the smartctl samples the probes import (tests/data/bench/).
MEDIA = ("D1", "D2", "S3Z1NB0K512345A", "S4ELNX0N123456")
PROBES = (
    "smartctl_thinkpad_t480.json",
    "smartctl_thinkpad_t480_failing.json",
    "smartctl_elitebook_nvme.json",
)
PRICES_CENTS = (0, 2000, 5000, 12000)
MOVES = (
    DeviceState.IN_REPAIR,
    DeviceState.READY,
    DeviceState.LISTED,
    DeviceState.RESERVED,
    DeviceState.HANDED_OVER,
)
# The fields the device page's form and the admin's edit form post: read from the product, never spelled again.
FORM_FIELDS = tuple(DeviceForm._meta.fields)
ADMIN_FIELDS = tuple(DeviceViewSet.form_fields)


def rule_holds(device: Device) -> bool:
    """The rule, computed here from the raw erasure rows (not with the code under test)."""
    if device.state not in GUARDED or device.type not in DATA_BEARING_TYPES:
        return True
    latest = {}
    for record in ErasureRecord.objects.filter(device=device).order_by("performed_at", "pk"):
        latest[record.media_serial] = record.verified
    return all(latest.values()) and sum(latest.values()) >= device.media_count


def fit_for_a_household(device: Device) -> bool:
    """A listed or handed-over device has no recorded drive that failed SMART and was not destroyed since, and
    none without a latest-verified erasure (a reserved one may: its handover is what is refused)."""
    if device.state not in (DeviceState.LISTED, DeviceState.HANDED_OVER):
        return True
    latest, destroyed = {}, set()
    for record in ErasureRecord.objects.filter(device=device).order_by("performed_at", "pk"):
        latest[record.media_serial.upper()] = record.verified
        if record.method == "destroy" and record.verified:
            destroyed.add(record.media_serial.upper())
    for medium in StorageMediumRecord.objects.filter(device=device):
        serial = medium.serial.upper()
        if not latest.get(serial) or (medium.smart_passed is False and serial not in destroyed):
            return False
    return True


def price_within_bounds(device: Device, programme_id: int) -> bool:
    """A listed device's price within the bounds the programme of the workshop's department sets for its type
    and grade (only free when it sets none)."""
    if device.state != DeviceState.LISTED:
        return True
    row = ProgrammePrice.objects.filter(
        programme_id=programme_id, device_type=device.type, grade=device.grade
    ).first()
    low, high = (row.min_cents, row.max_cents) if row else (0, 0)
    return device.price_cents is not None and low <= device.price_cents <= high


def _form_value(device, name):
    value = getattr(device, name)
    if name == "price_cents":
        return "" if value is None else f"{value / 100:.2f}".replace(".", ",")
    return "" if value is None else str(value)


def erasure_world() -> dict:
    """A recycling workshop with a technician and its API token, a staff member, and one ready laptop with one
    medium: made once, found as made by every sequence."""
    workshop = OrganisationFactory(workshop=True, department="93")
    WorkshopProfileFactory(recycles=True, organisation=workshop)
    technician = member_of(workshop)
    # Laptops of grade B between 30 € and 90 €; nothing else priced (only free).
    programme = ProgrammeFactory(departments=["93"])
    ProgrammePriceFactory(programme=programme, min_cents=3000, max_cents=9000)
    device = DeviceFactory(
        workshop=workshop,
        type=DeviceType.LAPTOP,
        state=DeviceState.READY,
        grade="B",
        price_cents=5000,
        media_count=1,
    )
    return {
        "workshop": workshop.pk,
        "technician": technician.pk,
        "staff": UserFactory(is_staff=True, is_superuser=True).pk,
        "device": device.pk,
        "token": issue_api_token(user=technician),
        "programme": programme.pk,
        "household": eligible(programme=programme).pk,
    }


class ErasureRule(WorldMachine, RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Read again in each sequence: no object cached by an earlier, rolled-back sequence is reused.
        self.workshop = Organisation.objects.get(pk=self.world["workshop"])
        self.technician = User.objects.get(pk=self.world["technician"])
        self.staff = User.objects.get(pk=self.world["staff"])
        self.household = User.objects.get(pk=self.world["household"])
        self.device = Device.objects.get(pk=self.world["device"])
        self.token = self.world["token"]
        self.http = Client()
        self.evidence = {}

    def _api(self, method, path, data):
        response = getattr(self.http, method)(
            path, data, content_type="application/json", headers={"Authorization": f"Bearer {self.token}"}
        )
        assert response.status_code < 500, response.content
        return response

    def _fresh(self) -> Device:
        return Device.objects.get(pk=self.device.pk)

    @rule(count=st.sampled_from([0, 1, 2]))
    def patch_media_count(self, count):
        self._api("patch", f"/api/v1/devices/{self.device.pk}", {"media_count": count})

    @rule(kind=st.sampled_from([DeviceType.LAPTOP, DeviceType.MONITOR, DeviceType.SMARTPHONE]))
    def patch_type(self, kind):
        self._api("patch", f"/api/v1/devices/{self.device.pk}", {"type": kind})

    @rule(cents=st.sampled_from(PRICES_CENTS))
    def patch_price(self, cents):
        self._api("patch", f"/api/v1/devices/{self.device.pk}", {"price_cents": cents})

    @rule(
        serial=st.sampled_from(MEDIA),
        verified=st.booleans(),
        method=st.sampled_from(["purge", "purge", "destroy"]),
    )
    def erase(self, serial, verified, method):
        body = {"method": method, "tool": "nwipe", "tool_version": "0.37", "media_serial": serial}
        self._api("post", f"/api/v1/devices/{self.device.pk}/erasure", {**body, "verified": verified})

    @rule(name=st.sampled_from(PROBES))
    def probe(self, name):
        response = self.http.post(
            f"/api/v1/devices/{self.device.pk}/reports",
            {"file": SimpleUploadedFile(name, sample(name), content_type="application/json")},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code < 500, response.content

    @rule()
    def list_it(self):
        self._api("post", f"/api/v1/devices/{self.device.pk}/transition", {"to": DeviceState.LISTED})

    @rule(to=st.sampled_from(MOVES))
    def move(self, to):
        self._api("post", f"/api/v1/devices/{self.device.pk}/transition", {"to": to})

    @rule(to=st.sampled_from([DeviceState.LISTED, DeviceState.READY, DeviceState.IN_REPAIR]))
    def bench(self, to):
        bench_apply(workshop=self.workshop, actor=self.technician, action=to, codes=[self.device.asset_tag])

    @rule(count=st.integers(0, 3), kind=st.sampled_from([DeviceType.LAPTOP, DeviceType.MONITOR]))
    def device_page_form(self, count, kind):
        device = self._fresh()
        data = {name: _form_value(device, name) for name in FORM_FIELDS}
        data.update(media_count=str(count), type=kind)
        self.http.force_login(self.technician)
        response = self.http.post(reverse("inventory:device_specs", args=[device.asset_tag]), data)
        assert response.status_code in (302, 409, 422), response.status_code

    @rule(count=st.integers(0, 3), kind=st.sampled_from([DeviceType.LAPTOP, DeviceType.MONITOR]))
    def csv_import(self, count, kind):
        device = self._fresh()
        content = f"serial,type,media_count\n{device.serial},{kind},{count}\n".encode()
        try:
            stock_import.import_stock_csv(workshop=self.workshop, actor=self.technician, data=content)
        except DomainError:
            pass

    @rule(count=st.integers(0, 3), kind=st.sampled_from([DeviceType.LAPTOP, DeviceType.MONITOR]))
    def csv_import_page(self, count, kind):
        device = self._fresh()
        content = f"serial,type,media_count\n{device.serial},{kind},{count}\n".encode()
        self.http.force_login(self.technician)
        response = self.http.post(
            reverse("inventory:import"), {"file": SimpleUploadedFile("stock.csv", content)}
        )
        assert response.status_code < 500

    def _open_claim(self):
        return Claim.objects.filter(device_id=self.device.pk, status__in=OPEN_CLAIM_STATUSES).first()

    @rule()
    def household_claims(self):
        self.http.force_login(self.household)
        response = self.http.post(f"/catalogue/{self.device.pk}/demander/")
        assert response.status_code < 500, response.status_code

    @rule()
    def household_cancels(self):
        claim = self._open_claim()
        if claim is not None:
            self.http.force_login(self.household)
            response = self.http.post(f"/demandes/{claim.pk}/annuler/", {"confirm": "1"})
            assert response.status_code < 500, response.status_code

    @rule()
    def counter_hands_over(self):
        claim = self._open_claim()
        if claim is not None:
            try:
                hand_over(
                    actor=self.technician, claim_id=claim.pk, code=claim.handover_code, collected_cents=0
                )
            except DomainError:
                pass

    @rule(
        kind=st.sampled_from([DeviceType.LAPTOP, DeviceType.MONITOR, DeviceType.TABLET]),
        cents=st.sampled_from(PRICES_CENTS),
    )
    def admin_edit(self, kind, cents):
        device = self._fresh()
        data = {name: _form_value(device, name) for name in ADMIN_FIELDS}
        data["type"] = kind
        data["price_cents"] = f"{cents / 100:.2f}".replace(".", ",")
        self.http.force_login(self.staff)
        response = self.http.post(reverse("devices:edit", args=[device.pk]), data)
        assert response.status_code in (200, 302), response.status_code

    @rule(view=st.sampled_from(["devices:delete", "erasures:delete", "erasures:edit"]))
    def admin_remove_or_rewrite(self, view):
        # Staff trying to delete the device or to rewrite or delete one of its erasure records from the admin.
        record = ErasureRecord.objects.filter(device_id=self.device.pk).first()
        pk = self.device.pk if view.startswith("devices") else record.pk if record else None
        if pk is None:
            return
        self.http.force_login(self.staff)
        response = self.http.post(reverse(view, args=[pk]), {"verified": "on", "media_serial": "X"})
        assert response.status_code < 500, response.status_code

    @invariant()
    def household_and_price_rules(self):
        device = self._fresh()
        media = list(StorageMediumRecord.objects.filter(device=device).values_list("serial", "smart_passed"))
        assert fit_for_a_household(device), f"{device.state} media={media}"
        assert price_within_bounds(device, self.world["programme"]), (
            f"{device.state} {device.type} {device.grade} {device.price_cents}"
        )

    @invariant()
    def erasure_evidence_only_grows(self):
        rows = {
            row[0]: row[1:]
            for row in ErasureRecord.objects.filter(device_id=self.device.pk).values_list(
                "pk", "media_serial", "verified", "method", "performed_at"
            )
        }
        assert all(rows.get(pk) == kept for pk, kept in self.evidence.items()), (self.evidence, rows)
        self.evidence = rows

    @invariant()
    def erasure_rule(self):
        device = self._fresh()
        assert rule_holds(device), (
            f"{device.state} {device.type} media_count={device.media_count} "
            f"erasures={list(device.erasures.values_list('media_serial', 'verified'))}"
        )


def listed_world() -> dict:
    """The same world, its laptop listed after a probe of its SSD and that drive's verified erasure: the
    sequences start where households claim it and a new probe may find a failing or an unerased drive."""
    world = erasure_world()
    device = Device.objects.get(pk=world["device"])
    ErasureRecordFactory(device=device, media_serial="S3Z1NB0K512345A", operator_id=world["technician"])
    StorageMediumRecord.objects.create(device=device, serial="S3Z1NB0K512345A", smart_passed=True)
    apply_transition(
        device_id=device.pk, to=DeviceState.LISTED, actor=User.objects.get(pk=world["technician"])
    )
    return world


def test_the_erasure_rule_holds_under_any_sequence_of_writes():
    run_machine(ErasureRule, max_examples=40, steps=12, world=erasure_world)


def test_the_rules_hold_for_a_listed_device_households_claim():
    run_machine(ErasureRule, max_examples=30, steps=12, world=listed_world)


def test_the_review_s_sequence_is_refused_at_the_write(api_client):
    """PATCH media_count to 0, list, set it back: the last write is refused, the device stays as it was."""
    workshop = OrganisationFactory(workshop=True, department="93")
    WorkshopProfileFactory(recycles=True, organisation=workshop)
    api = api_client.with_token(issue_api_token(user=member_of(workshop)))
    device = DeviceFactory(workshop=workshop, state=DeviceState.READY, grade="B", price_cents=0)
    assert api.patch(f"/api/v1/devices/{device.pk}", {"media_count": 0}).status_code == 200
    assert api.post(f"/api/v1/devices/{device.pk}/transition", {"to": "listed"}).status_code == 200
    response = api.patch(f"/api/v1/devices/{device.pk}", {"media_count": 1})
    assert response.status_code == 409 and "effacement" in response.json()["detail"]
    assert Device.objects.get(pk=device.pk).media_count == 0
    # the same with the type
    screen = DeviceFactory(
        workshop=workshop, state=DeviceState.READY, grade="B", price_cents=0, type=DeviceType.MONITOR
    )
    assert api.post(f"/api/v1/devices/{screen.pk}/transition", {"to": "listed"}).status_code == 200
    assert api.patch(f"/api/v1/devices/{screen.pk}", {"type": "laptop"}).status_code == 409
    assert Device.objects.get(pk=screen.pk).type == DeviceType.MONITOR
