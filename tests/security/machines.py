"""Running a hypothesis state machine against the test database, as the stateful invariant tests do."""

from hypothesis import HealthCheck, settings


def run_machine(machine, *, max_examples: int, steps: int) -> None:
    """Run `machine` (a RuleBasedStateMachine) for `max_examples` sequences of up to `steps` steps: no deadline
    (each step queries the database), no example database kept between runs, and the health checks a
    database-backed machine trips (slow steps, a function-scoped fixture) off."""
    case = machine.TestCase
    case.settings = settings(
        max_examples=max_examples,
        stateful_step_count=steps,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    case().runTest()
