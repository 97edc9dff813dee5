"""Every form of the Wagtail admin is walked (each registered listing, snippets and Wagtail's own included, its add
and its edit form, and their inline forms): none writes what the services keep. A model registered later fails
here as soon as its form exposes one of these fields; the change then goes through an action on the object
(reuse.backoffice.ObjectAction) or an edit view whose save is the service's (reuse.admin_actions.ServiceEditView).

What no admin form writes:
- a lifecycle's status (every Lifecycle declared in an app's transitions.py) and any field named status or state;
- the moment something happened (a date-time « …_at »: approved, redeemed, revoked, resolved…), but for the
  planned times listed in PLANNED;
- who a row belongs to or who did something (a link to a person or an organisation), but for the assignments
  listed in ASSIGNED, each a staff decision;
- the money and proofs the services compute (PROOFS);
and a journal or a proof written once (reuse.journal.WrittenOnce) is never added, changed nor deleted there. No
listing, search or inspect page shows a code or a secret that opens something for its holder (BEARER).
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse

from reuse.accounts.models import Organisation
from reuse.journal import WrittenOnce
from reuse.lifecycle import Lifecycle
from tests.factories.accounts import UserFactory

# Planned times staff set: when a first-use session starts (its edit goes through update_slot).
PLANNED = {("tripod.SessionSlot", "starts_at")}
# Links staff decide: who belongs to which organisation, the organisation a funder is, the workshop a data
# allowance stock or a session is for, the workshop a lot is offered to (through assign_lot), the person an API
# token is issued to.
ASSIGNED = {
    ("wagtailcore.APIToken", "user"),
    ("accounts.Membership", "user"),
    ("accounts.Membership", "organisation"),
    ("claims.VoucherFunder", "organisation"),
    ("tripod.AllowanceStock", "workshop"),
    ("tripod.SessionSlot", "workshop"),
    ("donations.Lot", "workshop"),
}
PROOFS = {
    ("claims.Claim", "price_cents"),
    ("claims.Claim", "voucher_cents"),
    ("claims.Claim", "handover_code"),
    ("claims.Voucher", "claim"),
    ("claims.Voucher", "redeemed_cents"),
    ("claims.Payment", "amount_cents"),
    ("claims.Refund", "amount_cents"),
    ("eligibility.EligibilityDecision", "reasons"),
    ("eligibility.EligibilityDecision", "criteria"),
    ("eligibility.EligibilityDecision", "evidence"),
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def lifecycle_fields() -> set[tuple[str, str]]:
    found = set()
    for config in apps.get_app_configs():
        name = f"{config.name}.transitions"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        found |= {(_label(v.model), v.field) for v in vars(module).values() if isinstance(v, Lifecycle)}
    return found


def refusal(model, name: str, guarded: set) -> str | None:
    """Why `name` may not be a field of an admin form of `model`, or None."""
    key = (_label(model), name)
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None  # a form-only field (a password, the departments typed as text)
    if key in guarded or name in ("status", "state"):
        return "lifecycle"
    if isinstance(field, models.DateTimeField) and name.endswith("_at") and key not in PLANNED:
        return "moment"
    if field.is_relation and field.related_model in (get_user_model(), Organisation) and key not in ASSIGNED:
        return "owner"
    if key in PROOFS:
        return "proof"
    return None


def admin_forms():
    """(viewset, model, form class, "add"/"edit") for every form a superuser may open in the admin."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.model import ModelViewSet

    reverse("wagtailadmin_home")  # the admin's URLs, hence its registry of viewsets, are loaded
    superuser = UserFactory.build(is_superuser=True, is_staff=True, is_active=True)
    for viewset in viewsets.viewsets:
        if not isinstance(viewset, ModelViewSet):
            continue
        policy = viewset.permission_policy
        for kind, action, enabled in (
            ("add", "add", getattr(viewset, "add_view_enabled", True)),
            ("edit", "change", getattr(viewset, "edit_view_enabled", True)),
        ):
            if enabled and policy.user_has_permission(superuser, action):
                form_class = viewset.get_form_class(for_update=kind == "edit")
                yield viewset, viewset.model, form_class, kind
                for formset in getattr(form_class, "formsets", {}).values():
                    yield viewset, formset.model, formset.form, kind


def test_no_admin_form_writes_a_status_a_moment_an_owner_or_a_proof():
    guarded = lifecycle_fields()
    exposed = [
        f"{_label(model)}.{name} ({kind}: {why})"
        for _viewset, model, form_class, kind in admin_forms()
        for name in form_class.base_fields
        if (why := refusal(model, name, guarded))
    ]
    assert exposed == []


def test_no_admin_screen_writes_a_journal_or_a_proof_written_once():
    superuser = UserFactory.build(is_superuser=True, is_staff=True, is_active=True)
    from wagtail.admin.viewsets import viewsets

    reverse("wagtailadmin_home")
    written_once = [
        v
        for v in viewsets.viewsets
        if isinstance(getattr(v, "model", None), type) and issubclass(v.model, WrittenOnce)
    ]
    assert {_label(v.model) for v in written_once} >= {
        "inventory.ErasureRecord",
        "eligibility.DocumentAccess",
    }
    for viewset in written_once:
        allowed = [
            a
            for a in ("add", "change", "delete")
            if viewset.permission_policy.user_has_permission(superuser, a)
        ]
        assert allowed == [], f"{_label(viewset.model)}: {allowed}"
        assert not viewset.form_fields, _label(viewset.model)


def test_the_walk_reaches_every_kind_of_admin_form():
    """The walk is not empty by accident: it reads our listings, a snippet, Wagtail's users and inline prices."""
    walked = {(_label(model), kind) for _viewset, model, _form, kind in admin_forms()}
    assert {
        ("inventory.Device", "edit"),
        ("donations.Lot", "edit"),
        ("accounts.Organisation", "add"),
        ("tripod.ConnectivityOffer", "edit"),
        ("accounts.User", "edit"),
        ("programmes.ProgrammePrice", "edit"),
    } <= walked
    guarded = lifecycle_fields()
    assert {("claims.Claim", "status"), ("inventory.Device", "state"), ("donations.Lot", "status")} <= guarded
    for label, name in PLANNED | ASSIGNED | PROOFS:
        apps.get_model(label)._meta.get_field(name)  # every exception names a field that exists


@pytest.mark.parametrize(
    "model,name,why",
    [
        ("accounts.Organisation", "status", "lifecycle"),
        ("accounts.Organisation", "approved_at", "moment"),
        ("inventory.Device", "workshop", "owner"),
        ("claims.Voucher", "redeemed_cents", "proof"),
        ("inventory.Device", "brand", None),
    ],
)
def test_the_rule_names_what_it_refuses(model, name, why):
    assert refusal(apps.get_model(model), name, lifecycle_fields()) == why


# Codes and secrets that open something for their holder: the claimant's code at the counter, the household's
# questionnaire code, Stripe's client secret. Any field named « secret », « password » or « digest » is one too.
BEARER = {
    ("claims.Claim", "handover_code"),
    ("aftercare.FollowUp", "code"),
    ("claims.Payment", "client_secret"),
}


def test_no_admin_page_shows_a_code_or_secret_that_opens_something():
    """A follow-up's questionnaire code and a payment's Stripe client secret were printed on their inspect pages,
    while the claim's handover code was already kept out of its own."""
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.model import ModelViewSet

    reverse("wagtailadmin_home")
    shown = []
    for viewset in viewsets.viewsets:
        if not isinstance(viewset, ModelViewSet):
            continue
        names = set()
        if getattr(viewset, "inspect_view_enabled", False):
            view = viewset.inspect_view_class(**viewset.get_inspect_view_kwargs())
            view.model = viewset.model
            names |= set(view.get_fields())
        for declared in (viewset.list_display, viewset.search_fields):
            if isinstance(
                declared, (list, tuple)
            ):  # else Wagtail's « undefined »: its defaults show no field
                names |= {getattr(item, "name", item) for item in declared}
        shown += [
            f"{_label(viewset.model)}.{name}"
            for name in names
            if (_label(viewset.model), name) in BEARER
            or any(word in name for word in ("secret", "password", "digest"))
        ]
    assert shown == []
    for label, name in BEARER:
        apps.get_model(label)._meta.get_field(name)
