"""The impact figures a CSR officer copies into a report, checked the way an auditor would: recomputed from the
factors of donations/data/impact_factors.json (reference-facts.md: ADEME / Arcep 2022 via ADEME's Impact CO2
data, The Restart Project's Fixometer reference data 2021) as a spreadsheet does, count x factor per type, the
total rounded to the tenth of a kilogram half up (Excel's ROUND), and the same on every page that shows them.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations.impact import compute_impact, methods
from inventory.enums import DeviceState, DeviceType
from inventory.models import Device
from tests.donations.certificate_helpers import outcome_rows
from tests.factories.donations import LotFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db

TENTH = Decimal("0.1")


def by_hand(counts: dict[str, int], method: str) -> tuple[Decimal, Decimal]:
    """(kg CO2e, kg of e-waste) as an auditor recomputes them: each type's count x its published factor, summed,
    rounded to the tenth half up."""
    factors = methods()[method]["factors"]
    co2e = sum((n * Decimal(str(factors[kind]["co2e_kg"])) for kind, n in counts.items()), Decimal(0))
    weee = sum((n * Decimal(str(factors[kind]["weight_kg"])) for kind, n in counts.items()), Decimal(0))
    return co2e.quantize(TENTH, ROUND_HALF_UP), weee.quantize(TENTH, ROUND_HALF_UP)


@pytest.fixture
def donor_lot(client):
    workshop, _member = workshop_with_member()
    donor, user = donor_with_member()
    lot = LotFactory(donor=donor, created_by=user, workshop=workshop, received=True)
    client.force_login(user)
    return lot


def test_one_smartphone_under_restart_is_25_25_kg_rounded_half_up_as_a_spreadsheet_does(donor_lot):
    """Restart: mobile 50.5 x 0.5 = 25.25 kg. Python's round() on a float rounds this half to even (25.2); the
    CSR officer's spreadsheet and anyone reading the factor say 25.3."""
    DeviceFactory(lot=donor_lot, workshop=donor_lot.workshop, phone=True, handed_over=True)
    impact = compute_impact(Device.objects.filter(lot=donor_lot), "restart-2021")
    assert impact.co2e_kg == 25.3


def test_the_impact_report_shows_each_type_with_its_factor_so_the_total_can_be_recomputed(client, donor_lot):
    """A figure without the factor it comes from cannot be checked: the page lists count, factor and product per
    type, the way reference-facts.md gives them."""
    on_lot = {"lot": donor_lot, "workshop": donor_lot.workshop, "handed_over": True}
    DeviceFactory(phone=True, **on_lot)
    DeviceFactory(phone=True, **on_lot)
    DeviceFactory(**on_lot)
    page = client.get(f"/dons/lots/{donor_lot.pk}/impact/", {"methode": "restart-2021"}).content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    text = re.sub(r"\s+", " ", text)
    # 2 smartphones x 25.25 = 50.5; 1 laptop x 132.5; total 183.0; weights 2 x 0.151 + 1.83 = 2.132 -> 2.1
    assert "Smartphone 2 25,25 50,5" in text
    assert "Ordinateur portable 1 132,5 132,5" in text
    assert "183,0 kg" in text
    # ADEME's CO2e factors, but the e-waste masses are Restart's: the page names both sources.
    ademe = client.get(f"/dons/lots/{donor_lot.pk}/impact/").content.decode()
    assert "masses (DEEE) : The Restart Project, Fixometer reference data 2021" in ademe


STATES = [
    DeviceState.RECEIVED,
    DeviceState.IN_REPAIR,
    DeviceState.READY,
    DeviceState.HANDED_OVER,
    DeviceState.RECYCLED,
    DeviceState.PARTS,
]
TYPES = [kind for kind in DeviceType.values]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=st.lists(st.tuples(st.sampled_from(TYPES), st.sampled_from(STATES)), min_size=1, max_size=12),
    method=st.sampled_from(["ademe-arcep-2022", "restart-2021"]),
)
def test_any_lot_gives_the_hand_computed_figures_on_the_api_and_the_pages(
    api_client, client, donor_lot, history, method
):
    """Random lots (every type, reused or still in stock, recycled or kept for parts): only the devices handed
    over count, once each, at their type's factor; the API, the impact report and a second computation say the
    same figures."""
    Device.objects.filter(lot=donor_lot).delete()
    for kind, state in history:
        DeviceFactory(lot=donor_lot, workshop=donor_lot.workshop, type=kind, state=state)
    counts: dict[str, int] = {}
    for kind, state in history:
        if state == DeviceState.HANDED_OVER:
            counts[kind] = counts.get(kind, 0) + 1
    co2e, weee = by_hand(counts, method)

    impact = compute_impact(Device.objects.filter(lot=donor_lot), method)
    assert impact.devices_reused == sum(counts.values())
    assert (Decimal(str(impact.co2e_kg)), Decimal(str(impact.weee_kg))) == (co2e, weee)
    assert compute_impact(Device.objects.filter(lot=donor_lot), method) == impact

    api = api_client.get(f"/api/v1/lots/{donor_lot.pk}/report", method=method).json()["impact"]
    assert (Decimal(str(api["co2e_kg"])), Decimal(str(api["weee_kg"]))) == (co2e, weee)
    assert api["devices_reused"] == impact.devices_reused
    assert {line["type"]: line["devices"] for line in api["lines"]} == counts

    page = client.get(f"/dons/lots/{donor_lot.pk}/impact/", {"methode": method}).content.decode()
    shown = f"{co2e:.1f}".replace(".", ",")
    assert f"<dd>{shown} kg</dd>" in page

    # The outcome export says « reused » of the same devices, no more, no fewer.
    rows = outcome_rows(client.get(f"/dons/lots/{donor_lot.pk}/devenir.csv"))
    reused = [row for row in rows[1:] if row[rows[0].index("devenir")].startswith("Remis")]
    assert len(reused) == impact.devices_reused
