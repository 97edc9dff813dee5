"""Running a hypothesis state machine against the test database, as the stateful invariant tests do."""

from collections.abc import Callable

from django.db import transaction
from hypothesis import HealthCheck, settings


def run_machine(machine, *, max_examples: int, steps: int, world: Callable[[], dict] | None = None) -> None:
    """Run `machine` (a RuleBasedStateMachine) for `max_examples` sequences of up to `steps` steps: no deadline
    (each step queries the database), no example database kept between runs, and the health checks a
    database-backed machine trips (slow steps, a function-scoped fixture) off.

    `world`, when given, makes the rows every sequence starts from, once, before the first sequence; it returns
    their primary keys, which the machine reads as `self.world`. Each sequence runs in a savepoint rolled back
    when it ends (`WorldMachine`), so every sequence finds those rows exactly as made, as if made for it alone,
    and the per-sequence cost is the steps, not a new world (several seconds a run on a 2-core machine)."""
    case = machine.TestCase
    case.settings = settings(
        max_examples=max_examples,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    if world is not None:
        machine.world = world()
    try:
        case().runTest()
    finally:
        # The keys name rows of this test's transaction only: no later run may read them.
        machine.world = {}


class WorldMachine:
    """Mixed into a RuleBasedStateMachine: each sequence in its own savepoint, rolled back at its teardown."""

    world: dict = {}

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)
