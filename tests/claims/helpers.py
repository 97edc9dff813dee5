"""Small steps the claims tests (and the apps beside claims) repeat."""

from reuse.claims.services import waitlist


def join(actor, *, device_type="laptop", max_price_cents=None, **declared):
    """`actor` joins the waiting list, declaring no priority situation unless told (`no_computer=True`...)."""
    flags = {"lives_in_qpv_zrr": False, "no_computer": False, "children_at_school": False, **declared}
    return waitlist.join_waitlist(
        actor=actor, device_type=device_type, max_price_cents=max_price_cents, **flags
    )
