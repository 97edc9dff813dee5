"""The Wagtail admin's least-privilege matrix (README, "Staff permissions"), walked: every admin URL registered
(listings, forms, deletes, object actions, the project's admin pages, bulk actions) is opened by each kind of staff
member and by a workshop member with a valid account, and the answer is checked against its row here. A view
registered later without a row fails test_every_admin_url_has_a_decision.

An answer is "ok" (200; for a page that only takes POST, any redirect but to the sign-in page or the dashboard; for a
bulk action, a confirmation page listing the row) or refused (403, 404 for a row that is not theirs, or a redirect
away: to the sign-in page for anyone who is not staff)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from reuse.accounts.models import User
from tests.factories.accounts import UserFactory
from tests.security.admin_urls import addresses, admin_urls, bulk_actions, rows_the_demo_lacks

pytestmark = pytest.mark.django_db

STAFF = frozenset({"superuser", "coordinator"})
REVIEW = STAFF | {"reviewer"}
SUPERUSER = frozenset({"superuser"})
NOBODY = frozenset()
STAFF_ROLES = ("superuser", "coordinator", "reviewer", "editor")


def decide(*, list, add=NOBODY, change=NOBODY, delete=NOBODY, history=NOBODY, usage=NOBODY, **actions):
    """Who gets each kind of view of a listing (the others are refused); an object action (approve…) must be named."""
    return {
        "list": list,
        "add": add,
        "change": change,
        "delete": delete,
        "history": history,
        "usage": usage,
    } | actions


# Rows the services write are read-only for everyone (ReadOnlyPolicy), those others create are never added nor
# deleted by hand (NoAddDeletePolicy); groups are the superusers'; an API token of someone else answers 404.
MATRIX = {
    "eligibility_admin": {
        "document_queue": REVIEW,
        "document_detail": REVIEW,
        "document_file": REVIEW,
        "document_review": REVIEW,
        "verifications": STAFF,
        "verify_association": STAFF,
        "accredit_referrer": STAFF,
    },
    "tripod_admin": {"import_places": STAFF},
    "inventory_approve_workshop": {"inventory_approve_workshop": STAFF},
    "donations_approve_receipt": {"donations_approve_receipt": STAFF},
    "wagtailsnippets_tripod_connectivityoffer": decide(
        list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF
    ),
    "organisations": decide(
        list=STAFF,
        add=STAFF,
        change=STAFF,
        delete=STAFF,
        history=STAFF,
        usage=STAFF,
        approve=STAFF,
        suspend=STAFF,
    ),
    # The pages open to coordinators; a staff member's membership (their own above all) is a superuser's to add,
    # change or end: tests/security/test_admin_account_rights.py.
    "memberships": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "wagtailusers_api_tokens": decide(
        list=STAFF, add=STAFF, change=SUPERUSER, delete=SUPERUSER, history=STAFF, usage=STAFF
    ),
    "notifications": decide(list=STAFF, retry=STAFF),
    # Tasks the broker refused: read (never their arguments), and queued again (resend_unsenttask).
    "unsent-tasks": decide(list=STAFF, resend=STAFF),
    "programmes": decide(list=REVIEW, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "eligibility-decisions": decide(list=REVIEW),
    "household-duplicates": decide(list=REVIEW, change=STAFF, history=STAFF, usage=STAFF, resolve=STAFF),
    "document-accesses": decide(list=STAFF),
    "mandate-journal": decide(list=STAFF),
    "claims_claim": decide(
        list=STAFF,
        change=STAFF,
        history=STAFF,
        usage=STAFF,
        unlock_handover=STAFF,
        cancel=STAFF,
        give_back_by_hand=STAFF,
    ),
    "claims_payment": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "claims_refund": decide(list=STAFF),
    "claims_handrefund": decide(list=STAFF),
    "claims_ledger": decide(list=STAFF),
    # Stripe's events, read-only; applying one again is idempotent, so whoever reads them may ask it.
    "claims_stripeevent": decide(list=STAFF, reprocess=STAFF),
    "claims_voucher": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "claims_funder": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "aftercare_rules": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "aftercare_ticket": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "aftercare_follow_up": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "territories_list": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "territories_area": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "territories_weights": decide(
        list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF
    ),
    "territories_attestation": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF, revoke=STAFF),
    "structures_profile": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF, verify=STAFF),
    "structures_programme": decide(
        list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF, issue=STAFF
    ),
    "structures_batch": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "tripod_place": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "tripod_import": decide(list=STAFF),
    "tripod_slot": decide(
        list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF, cancel=STAFF
    ),
    "tripod_allowance": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "tripod_cheque": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "manifest_aliases": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "manifest_column_choices": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "manifest_type_choices": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "lots": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "manifest_imports": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "receipt_caps": decide(list=STAFF, add=STAFF, change=STAFF, delete=STAFF, history=STAFF, usage=STAFF),
    "tax_receipt_reviews": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    # A receipt is a legal record: read, and cancelled with a reason (cancel_taxreceipt), never edited nor deleted.
    "tax_receipts": decide(list=STAFF, cancel=STAFF),
    "devices": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    "erasures": decide(list=STAFF),
    "erasure_reports": decide(list=STAFF),
    "workshops": decide(list=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    # The account tried is a household's with claims: kept (deactivated, never deleted). A superuser's or a peer's
    # account, a staff group given or one's own groups changed: tests/security/test_admin_account_rights.py.
    "wagtailusers_users": decide(list=STAFF, add=STAFF, change=STAFF, history=STAFF, usage=STAFF),
    # Site settings have no preview mode: Wagtail refuses their preview to everyone.
    "wagtailsettings": {"change": STAFF, "preview_on_edit": NOBODY},
    "wagtailusers_groups": decide(
        list=STAFF, add=SUPERUSER, change=SUPERUSER, delete=SUPERUSER, history=SUPERUSER, usage=SUPERUSER
    ),
}
BULK = {
    "bulk:accounts.user:delete": STAFF,
    "bulk:accounts.user:set_active_state": STAFF,
    "bulk:accounts.user:assign_role": STAFF,
    "bulk:tripod.connectivityoffer:delete": STAFF,
}
# Wagtail's own screens (pages, images, documents, workflows, sites, locales, redirects, settings, choosers…): page
# and collection permissions decide there, the editors' business; Rebond's data is in none of them.
WAGTAIL_OWN_PREFIXES = ("wagtailadmin", "wagtailimages", "wagtaildocs", "wagtailsites", "wagtaillocales")
WAGTAIL_OWN = (
    "wagtailredirects",
    "wagtailforms",
    "wagtailembeds",
    "wagtailsnippets",
    "wagtailsnippetchoosers_tripod_connectivityoffer",
    "simple_translation",
    "wagtail_bulk_action",
)
WAGTAIL_OWN_BULK_APPS = ("wagtailcore", "wagtailimages", "wagtaildocs")


def _walked():
    return [
        url
        for url in admin_urls()
        if not url.namespace.startswith(WAGTAIL_OWN_PREFIXES) and url.namespace not in WAGTAIL_OWN
    ]


def _walked_bulk():
    return [
        (name, action)
        for name, action in bulk_actions()
        if name.split(":")[1].split(".")[0] not in WAGTAIL_OWN_BULK_APPS
    ]


def test_every_admin_url_has_a_decision():
    undecided = [url.name for url in _walked() if url.kind not in MATRIX.get(url.namespace, {})]
    undecided += [name for name, _ in _walked_bulk() if name not in BULK]
    assert not undecided, f"admin views without a row in MATRIX or BULK: {undecided}"


def _group(name: str) -> Group:
    """A staff group as the migrations left it. Wagtail's own migration makes « Editors » (admin access, pages
    added and changed under the root); a transactional test run earlier on the same worker flushes the tables,
    and only Rebond's groups come back with post_migrate, so « Editors » is made again here the way Wagtail does."""
    group, made = Group.objects.get_or_create(name=name)
    if made and name == "Editors":
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        root = Page.get_first_root_node()
        for codename in ("add_page", "change_page"):
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    return group


def _people():
    people = {
        "superuser": User.objects.get(email="hub@example.org"),
        "workshop": User.objects.get(email="atelier@example.org"),
    }
    for role, group in (("coordinator", "Coordinators"), ("reviewer", "Reviewers"), ("editor", "Editors")):
        people[role] = UserFactory(is_staff=True, email=f"{role}@example.org")
        people[role].groups.add(_group(group))
    clients = {}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def _answer(client, where, *, bulk=False) -> str:
    response, posted = client.get(where), False
    if response.status_code == 405:
        response, posted = client.post(where), True
    code = response.status_code
    if code == 200:
        return "ok" if not bulk or response.context["items"] else "refused"
    if code == 302:
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return "login"
        return "ok" if posted and location != reverse("wagtailadmin_home") else "refused"
    return "refused" if code in (403, 404) else f"error {code}"


def test_each_kind_of_staff_gets_what_the_matrix_says(demo):
    rows_the_demo_lacks()
    clients = _people()
    tried = [
        (url.name, where, MATRIX[url.namespace][url.kind], False)
        for url in _walked()
        for where in addresses(url)
    ]
    household = User.objects.get(email="beneficiaire@example.org")
    for name, action in _walked_bulk():
        model = action.models[0]
        pk = household.pk if model is User else model._default_manager.order_by("pk").first().pk
        app, action_type = f"{model._meta.app_label}", name.rpartition(":")[2]
        where = reverse("wagtail_bulk_action", args=[app, model._meta.model_name, action_type]) + f"?id={pk}"
        tried.append((name, where, BULK[name], True))
    wrong = []
    for name, where, allowed, bulk in tried:
        assert where is not None, f"{name}: no row to try it on; add one in rows_the_demo_lacks"
        for role, client in clients.items():
            expected = "login" if role == "workshop" else "ok" if role in allowed else "refused"
            answer = _answer(client, where, bulk=bulk)
            if answer != expected:
                wrong.append(f"{name} {where} {role}: {answer}, expected {expected}")
    assert not wrong, "\n".join(wrong)
