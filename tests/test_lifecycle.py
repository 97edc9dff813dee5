"""Every status change goes through a declared lifecycle (reuse/lifecycle.py): the code is read for it."""

import re
from pathlib import Path

import pytest

from reuse.errors import IllegalTransition
from reuse.lifecycle import Lifecycle

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("reuse", "donations", "inventory", "cms")
# `x.status = …`, `x.state = …`, and the tuple form `x.status, y = …`, on any object.
ASSIGNMENT = re.compile(r"^\s*(?:[\w.]+\s*,\s*)*\w+(?:\.\w+)*\.(status|state)\s*(?:,[^=]*)?=(?!=)")
# The lifecycle itself, and the device batch path of inventory/transitions.py, which sets states on rows it
# checked through the same table and guards and writes with one UPDATE.
ALLOWED = {"reuse/lifecycle.py", "inventory/transitions.py"}


def assignments():
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ASSIGNMENT.match(line) and not line.lstrip().startswith("#"):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_status_is_assigned_outside_the_lifecycles():
    assert assignments() == []


@pytest.mark.parametrize(
    "line",
    ["    lot.status = LotStatus.SUBMITTED", "decision.status, decision.reasons = a, b", "  self.state = x"],
)
def test_the_check_sees_an_assignment(line):
    assert ASSIGNMENT.match(line)


@pytest.mark.parametrize(
    "line", ["if lot.status == S.DRAFT:", "    ok = claim.status != S.RESERVED", "x = a.status"]
)
def test_comparisons_and_reads_are_not_assignments(line):
    assert not ASSIGNMENT.match(line)


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
