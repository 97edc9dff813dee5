"""Every status change goes through a declared lifecycle (reuse/lifecycle.py): the code is read for it."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from reuse.errors import IllegalTransition
from reuse.lifecycle import Lifecycle

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("reuse", "donations", "inventory", "cms")
FIELDS = {"status", "state"}
# The lifecycle itself; the device batch path of inventory/transitions.py, which sets states on rows it checked
# through the same table and guards and writes with one UPDATE; the benchmarks, which put tens of thousands of
# devices where claims would have left them by UPDATE and then prove the erasure rule on them
# (reuse.bench.data.check_erasure_records) - never run by the site.
ALLOWED = ("reuse/lifecycle.py", "inventory/transitions.py", "reuse/bench/")


def _names(node) -> set[str]:
    """The text constants of a literal list, tuple or set (the fields of a bulk_update, an admin form)."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return {item.value for item in node.elts if isinstance(item, ast.Constant)}
    return set()


def _dict_keys(node) -> set[str]:
    return (
        {key.value for key in node.keys if isinstance(key, ast.Constant)}
        if isinstance(node, ast.Dict)
        else set()
    )


def status_writes(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, form) of every way of writing a status to a row that exists, or of offering it to an admin form.

    Creating a row in its first state (`Model.objects.create(status=…)`) is not a move and is not listed."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for sub in ast.walk(target):
                    if (
                        isinstance(sub, ast.Attribute)
                        and sub.attr in FIELDS
                        and isinstance(sub.ctx, ast.Store)
                    ):
                        found.append((node.lineno, f".{sub.attr} = …"))
        if not isinstance(node, ast.Call):
            continue
        function = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        unpacked = set().union(*(_dict_keys(value) for name, value in keywords.items() if name is None))
        if function == "update" and (FIELDS & (set(keywords) | unpacked)):
            found.append((node.lineno, ".update(status=…)"))
        elif function == "bulk_update" and FIELDS & set().union(
            *map(_names, [*node.args[1:2], *keywords.values()])
        ):
            found.append((node.lineno, "bulk_update([…'status'…])"))
        elif function == "setattr" and len(node.args) > 1 and _names(ast.Tuple(elts=[node.args[1]])) & FIELDS:
            found.append((node.lineno, "setattr(…, 'status', …)"))
        elif function == "update_or_create" and FIELDS & _dict_keys(keywords.get("defaults")):
            found.append((node.lineno, "update_or_create(defaults={'status': …})"))
        elif FIELDS & _names(keywords.get("form_fields")) or (
            function == "FieldPanel" and _names(ast.Tuple(elts=node.args[:1])) & FIELDS
        ):
            found.append((node.lineno, "an admin form that edits the status"))
    return found


def demo_rows_in_a_state(tree: ast.AST) -> list[tuple[int, str]]:
    """Demo seeding that creates a row straight in a state (`Device.objects.create(state=…)`), past the guards
    of its lifecycle: the demo builds its data through the services, as the pages do."""
    return [
        (node.lineno, f"{ast.unparse(node.func)}({keyword.arg}=…)")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _creates(node)
        for keyword in node.keywords
        if keyword.arg in FIELDS
    ]


def _creates(node: ast.Call) -> bool:
    """`X.objects.create(…)`, `get_or_create`, or a model built by hand (`Device(…)`)."""
    name = ast.unparse(node.func).split(".")[-1]
    return name in ("create", "get_or_create") or (isinstance(node.func, ast.Name) and name[:1].isupper())


# Demo rows still created in a state, with why: the donor's processed lot comes with its history (devices handed
# over months ago to households the demo does not have, recycled through a channel), which no service replays.
DEMO_STATES_LEFT = {"inventory/demo.py:Device.objects.create(state=…)"}


def test_the_demo_creates_no_row_straight_in_a_state():
    found = {
        f"{path.relative_to(ROOT).as_posix()}:{what}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("demo.py"))
        for _line, what in demo_rows_in_a_state(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert (sorted(found - DEMO_STATES_LEFT), sorted(DEMO_STATES_LEFT - found)) == ([], [])


def status_writes_outside_the_lifecycles() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or relative.startswith(ALLOWED):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
            found += [f"{relative}:{line}: {form}" for line, form in status_writes(tree)]
    return found


def test_no_status_is_written_outside_the_lifecycles():
    assert status_writes_outside_the_lifecycles() == []


@pytest.mark.parametrize(
    "source",
    [
        "lot.status = LotStatus.SUBMITTED",
        "decision.status, decision.reasons = a, b",
        "self.state = x",
        "Payment.objects.filter(pk=1).update(client_secret=s, status=PaymentStatus.PENDING)",
        "bookings.filter(status=B.BOOKED).update(status=B.CANCELLED)",
        "Job.objects.filter(pk=1).update(**{'state': 'done'})",
        "Device.objects.bulk_update(devices, ['state', 'grade'])",
        "Device.objects.bulk_update(devices, fields=('status',))",
        "setattr(claim, 'status', 'cancelled')",
        "Claim.objects.update_or_create(pk=1, defaults={'status': 'confirmed'})",
        "SnippetViewSet(model=Claim, form_fields=['status', 'price_cents'])",
        "panels = [FieldPanel('status')]",
    ],
)
def test_the_check_sees_each_way_of_writing_a_status(source):
    assert status_writes(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "if lot.status == S.DRAFT:\n    pass",
        "ok = claim.status != S.RESERVED",
        "x = a.status",
        "Claim.objects.filter(status=S.RESERVED).update(expires_at=None)",
        "Payment.objects.create(claim=c, status=PaymentStatus.SUCCEEDED)",
        "Device.objects.bulk_update(devices, ['media_count'])",
        "render(request, 'page.html', status=422)",
    ],
)
def test_reads_filters_and_first_states_are_not_writes(source):
    assert not status_writes(ast.parse(source))


def test_a_move_outside_the_table_is_refused_and_writes_nothing():
    from donations.enums import LotStatus
    from donations.transitions import LOTS

    class Row:
        status = LotStatus.CLOSED

        def save(self, **kwargs):  # pragma: no cover - must not be reached
            raise AssertionError("saved")

    with pytest.raises(IllegalTransition):
        LOTS.move(Row(), LotStatus.DRAFT)
    assert isinstance(LOTS, Lifecycle)


# Counts per state (a snapshot of the stock by day), not a lifecycle of their own.
NOT_LIFECYCLES = {"StockCount", "StockCountChange"}


def test_every_model_with_a_status_has_a_declared_lifecycle():
    """A model whose `status` (or `state`) has choices is moved by a Lifecycle declared in its app's
    transitions.py: a new one without, as seats and import jobs were, fails here."""
    declared = set()
    for path in sorted(ROOT.glob("**/transitions.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in PACKAGES:
            module = importlib.import_module(".".join(relative.with_suffix("").parts))
            declared |= {value.model for value in vars(module).values() if isinstance(value, Lifecycle)}
    with_status = {
        model
        for model in apps.get_models()
        if model.__module__.split(".")[0] in PACKAGES
        and any(field.name in FIELDS and field.choices for field in model._meta.concrete_fields)
    }
    assert (
        sorted(model.__name__ for model in with_status - declared if model.__name__ not in NOT_LIFECYCLES)
        == []
    )
