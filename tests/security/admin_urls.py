"""Every URL the Wagtail admin registers, each with arguments naming a real row, for the admin's access matrix
(tests/security/test_admin_every_url.py)."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.views.bulk_action.registry import bulk_action_registry

from donations.models import TaxReceipt, TaxReceiptReview
from inventory.models import WorkshopProfile
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.eligibility.models import EligibilityDocument
from reuse.tripod.models import ConnectivityOffer

# How a view's name says what it does, for Wagtail's generic views; any other name is its own kind (approve…).
KINDS = {
    "index": "list",
    "index_results": "list",
    "list": "list",
    "list_results": "list",
    "inspect": "list",
    "history": "history",
    "history_results": "history",
    "revisions_compare": "history",
    "usage": "usage",
    "add": "add",
    "copy": "add",
    "edit": "change",
    "revisions_revert": "change",
    "delete": "delete",
}

# Admin pages that are functions, not a viewset's views: the row each one is about.
FUNCTION_VIEW_ROWS = {
    "eligibility_admin:document_detail": lambda: EligibilityDocument.objects.first(),
    "eligibility_admin:document_file": lambda: EligibilityDocument.objects.first(),
    "eligibility_admin:document_review": lambda: EligibilityDocument.objects.first(),
    "eligibility_admin:verify_association": lambda: Organisation.objects.filter(
        kind=OrganisationKind.ASSOCIATION
    ).first(),
    "eligibility_admin:accredit_referrer": lambda: Organisation.objects.filter(
        kind=OrganisationKind.REFERRER
    ).first(),
    "donations_approve_receipt": lambda: TaxReceiptReview.objects.first(),
    "inventory_approve_workshop": lambda: WorkshopProfile.objects.first(),
}
# Listings whose first row would say little: the accounts' is a household's (a superuser's or a peer's account is
# tests/security/test_admin_account_rights.py's), the groups' the reviewers'.
NAMESPACE_ROWS = {
    "wagtailusers_users": lambda: User.objects.get(email="beneficiaire@example.org"),
    "wagtailusers_groups": lambda: Group.objects.get(name="Reviewers"),
    "wagtailsnippets_tripod_connectivityoffer": lambda: ConnectivityOffer.objects.filter(
        latest_revision__isnull=False
    ).last(),
}


@dataclass(frozen=True)
class AdminUrl:
    name: str  # "namespace:view"
    route: str
    pattern: URLPattern

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0] or self.name

    @property
    def kind(self) -> str:
        view = self.name.rpartition(":")[2]
        return KINDS.get(view, view)


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield AdminUrl(name, prefix + str(pattern.pattern), pattern)


def admin_urls() -> list[AdminUrl]:
    return [url for url in _walk(get_resolver().url_patterns) if url.route.startswith("admin/")]


def _model(url: AdminUrl):
    callback = url.pattern.callback
    model = getattr(callback, "view_initkwargs", {}).get("model") or getattr(
        getattr(callback, "view_class", None), "model", None
    )
    return model


def _row(url: AdminUrl):
    if url.name in FUNCTION_VIEW_ROWS:
        return FUNCTION_VIEW_ROWS[url.name]()
    if url.namespace in NAMESPACE_ROWS:
        return NAMESPACE_ROWS[url.namespace]()
    model = _model(url)
    if model is None:
        raise LookupError(f"{url.name}: no model to take a row from; name one in FUNCTION_VIEW_ROWS")
    return model._default_manager.order_by("pk").first()


def addresses(url: AdminUrl) -> list[str | None]:
    """The URL with a real row's arguments (one per site setting for the settings' pages); None for a URL the demo
    holds no row for."""
    keys = url.pattern.pattern.regex.groupindex
    if "app_name" in keys:
        from wagtail.contrib.settings.registry import registry
        from wagtail.models import Site

        if "pk" not in keys:  # redirects to the default site's page, tried with its pk
            return []
        site = {"pk": Site.objects.get(is_default_site=True).pk}
        return [
            reverse(
                url.name,
                kwargs={"app_name": model._meta.app_label, "model_name": model._meta.model_name} | site,
            )
            for model in registry
        ]
    return [address(url)]


def address(url: AdminUrl) -> str | None:
    keys = url.pattern.pattern.regex.groupindex
    if not keys:
        return reverse(url.name)
    row = _row(url)
    if row is None:
        return None
    kwargs = {key: row.pk for key in keys if key in ("pk", "page_id")}
    if "revision_id" in keys:
        kwargs["revision_id"] = row.revisions.order_by("pk").values_list("pk", flat=True).last()
        if kwargs["revision_id"] is None:
            return None
    if "revision_id_a" in keys:
        kwargs |= {"revision_id_a": "earliest", "revision_id_b": "latest"}
    if url.pattern.pattern.regex.pattern.startswith("^") and "pk" in kwargs:  # a regex route: no converter
        kwargs["pk"] = str(kwargs["pk"])
    return reverse(url.name, kwargs=kwargs)


def bulk_actions() -> list[tuple[str, type]]:
    """("bulk:app.model:action", action class) of every bulk action registered, the pages' included."""
    bulk_action_registry.get_bulk_actions_for_model("", "")  # the registry reads the hooks on first use
    return [
        (f"bulk:{app_label}.{model_name}:{action_type}", action)
        for app_label, models in bulk_action_registry.actions.items()
        for model_name, actions in models.items()
        for action_type, action in actions.items()
    ]


def rows_the_demo_lacks() -> None:
    """One row of each model an admin listing shows and the demo leaves empty (payments, journals, imports…), so
    that every object URL is tried on a real row."""

    from django.core.files.base import ContentFile
    from wagtail.models import APIToken

    from donations.models import ColumnChoice, HeaderAlias, ImportJob, Lot, TypeChoice
    from reuse.accounts.models import UnsentTask
    from reuse.claims.models import Claim, VoucherFunder
    from reuse.claims.models.payments import HandRefund, LedgerEntry, Payment, Refund, StripeEvent
    from reuse.eligibility.models import DocumentAccess, DuplicateFlag, EligibilityDecision, Mandate
    from reuse.territories.models import TerritoryAttestation
    from reuse.tripod.models.counter import PassNumeriqueCheque
    from tests.factories.inventory import ErasureReportFactory
    from tests.factories.tripod import ConnectivityOfferFactory

    staff = User.objects.get(email="hub@example.org")
    household = User.objects.get(email="beneficiaire@example.org")
    donor = Organisation.objects.filter(kind=OrganisationKind.DONOR).first()
    workshop = Organisation.objects.filter(kind=OrganisationKind.WORKSHOP).first()
    claim, lot = Claim.objects.first(), Lot.objects.first()
    decision = EligibilityDecision.objects.filter(beneficiary=household).first()
    document = EligibilityDocument.objects.create(
        decision=decision,
        token="jeton-matrice",
        file=ContentFile(b"%PDF-1.4 matrice", name="matrice.pdf"),
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=household,
    )
    DocumentAccess.objects.create(document=document, viewer=staff)
    DuplicateFlag.objects.create(first=household, second=staff, reason="name_birth")
    payment = Payment.objects.create(claim=claim, method="card", amount_cents=1000, idempotency_key="matrice")
    Refund.objects.create(payment=payment, amount_cents=100)
    HandRefund.objects.create(
        payment=payment, amount_cents=100, method="cash", reference="R1", given_by=staff
    )
    LedgerEntry.objects.create(claim=claim, kind="payment", amount_cents=1000)
    StripeEvent.objects.create(
        event_id="evt_matrice",
        type="customer.created",
        payload={"id": "evt_matrice", "type": "customer.created", "data": {"object": {}}},
        attempts=1,
        last_error="PaymentProviderError: matrice",
    )
    mandate = Mandate.objects.first()
    TerritoryAttestation.objects.create(
        household=mandate.household,
        kind="qpv",
        attested_by=mandate.referrer,
        referrer_organisation=mandate.referrer_organisation,
        mandate=mandate,
    )
    PassNumeriqueCheque.objects.create(
        claim=claim,
        funder=VoucherFunder.objects.first(),
        booklet_number="C1",
        cheque_number="1",
        recorded_by=staff,
    )
    UnsentTask.objects.create(key="matrice", task="reuse.accounts.tasks.publish_unsent_tasks")
    HeaderAlias.objects.create(field="serial", alias="N° de série matrice")
    ColumnChoice.objects.create(organisation=donor, updated_by=staff, header="Série")
    TypeChoice.objects.create(organisation=donor, updated_by=staff, type="Portable")
    ImportJob.objects.create(lot=lot, created_by=staff, file="imports/matrice.csv", filename="matrice.csv")
    ErasureReportFactory(workshop=workshop, uploaded_by=staff)
    APIToken.objects.create(user=staff, name="Matrice", key_hash="0" * 64, prefix="matrice")
    ConnectivityOfferFactory().save_revision(user=staff)
    TaxReceipt.objects.create(
        lot=lot,
        number="2026-0-0001",
        amount_cents=25000,
        donor_legal_form="SAS",
        content={},
        issued_by=staff,
    )
    TaxReceiptReview.objects.create(
        lot=lot,
        donor_legal_form="SAS",
        requested_by=staff,
        declared_cents=900000,
        valued_cents=25000,
        outliers=1,
    )
