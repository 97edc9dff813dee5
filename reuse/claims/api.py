"""API of the catalogue, claims and payments (PRODUCT.md contract)."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from reuse import bounds
from reuse.accounts.auth import client_address
from reuse.accounts.models import User
from reuse.accounts.schemas import WorkshopOut
from reuse.bounds import PageLimit, QueryText
from reuse.claims import catalogue_cache, payments
from reuse.claims import handover as counter
from reuse.claims.filters import CatalogueFilter, catalogue_queryset, keyset_page
from reuse.claims.models import Claim, Payment
from reuse.claims.services import reservations
from reuse.errors import ErrorOut, InputSchema
from reuse.policy.claims import (
    acting_association,
    can_see_handover_code,
    get_claimant_claim,
    get_visible_claim,
)

router = Router(tags=["catalogue et demandes"])


class CatalogueItem(Schema):
    id: int
    type: str
    brand: str
    model: str
    grade: str
    price_cents: int
    workshop: WorkshopOut


class CataloguePage(Schema):
    items: list[CatalogueItem]
    next_cursor: str | None


class CatalogueQuery(Schema):
    type: QueryText | None = None
    department: QueryText | None = None
    grade: QueryText | None = None
    max_price_cents: int | None = Field(None, ge=bounds.PRICE_CENTS.low, le=bounds.PRICE_CENTS.high)
    os: QueryText | None = None
    q: QueryText | None = None
    cursor: QueryText | None = None
    limit: PageLimit = 20


@router.get("/catalogue", response=CataloguePage, auth=None)
def list_catalogue(request, query: Query[CatalogueQuery], response: HttpResponse):
    """Conditional GET: the ETag and Last-Modified name the catalogue's version (catalogue_cache); a client
    that sends them back gets 304 without a query until a device is listed, reserved or repriced."""
    current = catalogue_cache.version()
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:16]
    etag = f'"{current}-{digest}"'
    modified = catalogue_cache.changed_at(current)
    # The ETag decides: Last-Modified is to the second, and two changes within one second would let a
    # client's If-Modified-Since pass for a stale copy, so it is sent but never answered with 304.
    not_modified = get_conditional_response(request, etag=etag, response=None)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return not_modified
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    key = f"claims:catalogue:api:{current}:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = _catalogue_page(query)
        cache.set(key, cached, catalogue_cache.PAGE_TTL)
    return cached


def _catalogue_page(query) -> dict:
    params = {k: v for k, v in query.dict().items() if v not in (None, "") and k not in ("cursor", "limit")}
    filterset = CatalogueFilter(params, queryset=catalogue_queryset())
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    rows, next_cursor = keyset_page(filterset.qs, query.cursor, query.limit)
    return {
        "items": [
            {
                "id": d.pk,
                "type": d.type,
                "brand": d.brand,
                "model": d.model,
                "grade": d.grade,
                "price_cents": d.price_cents or 0,
                "workshop": {
                    "id": d.workshop_id,
                    "name": d.workshop.name,
                    "department": d.workshop.department,
                },
            }
            for d in rows
        ],
        "next_cursor": next_cursor,
    }


class ClaimIn(InputSchema):
    stored_in = ()  # ids, and a voucher code looked up, never stored as sent
    device_id: int
    voucher_code: str | None = None
    beneficiary_id: int | None = None
    # Required from a person in several associations claiming for one of them.
    organisation_id: int | None = None


class ClaimOut(Schema):
    id: int
    status: str
    device_id: int
    expires_at: datetime | None
    price_cents: int
    voucher_cents: int
    amount_due_cents: int
    pay_at_workshop: bool
    handover_code: str | None = None


def _out(claim: Claim, viewer) -> dict:
    show_code = claim.code_is_usable and can_see_handover_code(viewer, claim)
    return {
        "id": claim.pk,
        "status": claim.status,
        "device_id": claim.device_id,
        "expires_at": claim.expires_at,
        "price_cents": claim.price_cents,
        "voucher_cents": claim.voucher_cents,
        "amount_due_cents": claim.amount_due_cents,
        "pay_at_workshop": claim.pay_at_workshop,
        # The workshop checks the code at the counter: it never reads it here (nor does staff).
        "handover_code": claim.handover_code_display if show_code else None,
    }


@router.post("/claims", response={201: ClaimOut})
def create_claim(request, payload: ClaimIn):
    beneficiary = None
    organisation = None
    if payload.beneficiary_id is not None:
        beneficiary = User.objects.filter(pk=payload.beneficiary_id).first()
        if beneficiary is None:
            raise Http404
    elif not hasattr(request.user, "household"):
        organisation = acting_association(request.user, payload.organisation_id)
    claim = reservations.create_claim(
        actor=request.user,
        device_id=payload.device_id,
        voucher_code=payload.voucher_code or "",
        beneficiary=beneficiary,
        organisation=organisation,
        address=client_address(request),
    )
    return Status(201, _out(claim, request.user))


class BatchIn(InputSchema):
    stored_in = ()  # ids
    device_ids: list[int]
    organisation_id: int | None = None


class BatchOut(Schema):
    items: list[ClaimOut]


@router.post("/claims/batch", response={201: BatchOut})
def create_batch(request, payload: BatchIn):
    """An association reserves several devices in one request (all or none, within its yearly cap)."""
    organisation = acting_association(request.user, payload.organisation_id)
    if organisation is None:
        raise Http404
    claims = reservations.create_batch_claims(
        actor=request.user, organisation=organisation, device_ids=payload.device_ids
    )
    return Status(201, {"items": [_out(c, request.user) for c in claims]})


@router.get("/claims/{claim_id}", response=ClaimOut)
def get_claim(request, claim_id: int):
    return _out(get_visible_claim(request.user, claim_id), request.user)


class PayOut(Schema):
    payment_id: int
    client_secret: str
    amount_cents: int
    publishable_key: str


@router.post("/claims/{claim_id}/pay", response=PayOut)
def pay(request, claim_id: int):
    claim = get_claimant_claim(request.user, claim_id)
    payment = payments.start_card_payment(claim_id=claim.pk, actor=request.user)
    return {
        "payment_id": payment.pk,
        "client_secret": payment.client_secret,
        "amount_cents": payment.amount_cents,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    }


class CardIn(InputSchema):
    stored_in = ()  # Stripe's ids, sent on to Stripe
    payment_id: int
    card_id: str
    token_id: str = ""


class CardOut(Schema):
    status: str
    client_secret: str | None = None
    message: str | None = None


@router.post("/claims/{claim_id}/pay/card", response=CardOut)
def pay_card(request, claim_id: int, payload: CardIn):
    """Set the card tokenised by Stripe.js on the intent and confirm it (3-D Secure: the browser finishes)."""
    claim = get_claimant_claim(request.user, claim_id)
    payment = Payment.objects.filter(pk=payload.payment_id, claim=claim).first()
    if payment is None:
        raise Http404
    return payments.attach_card(payment=payment, card_id=payload.card_id, token_id=payload.token_id)


@router.post("/claims/{claim_id}/cancel", response=ClaimOut)
def cancel(request, claim_id: int):
    claim = get_claimant_claim(request.user, claim_id)
    return _out(reservations.cancel_claim(claim_id=claim.pk, actor=request.user), request.user)


class HandoverIn(InputSchema):
    stored_in = ()  # a code checked against the claim's, never stored
    code: str
    collected_cents: int | None = None


@router.post("/claims/{claim_id}/handover", response=ClaimOut)
def handover(request, claim_id: int, payload: HandoverIn):
    """The workshop holding the device hands it over against the claimant's code (5 wrong codes lock the claim)."""
    claim = get_visible_claim(request.user, claim_id)
    claim = counter.hand_over(
        actor=request.user, claim_id=claim.pk, code=payload.code, collected_cents=payload.collected_cents
    )
    return _out(claim, request.user)


class WebhookOut(Schema):
    received: bool
    outcome: str


@router.post("/payments/stripe/webhook", response={200: WebhookOut, 400: ErrorOut}, auth=None)
@csrf_exempt
def stripe_webhook(request):
    event = payments.receive_webhook(
        payload=request.body, signature=request.headers.get("Stripe-Signature", "")
    )
    return {"received": True, "outcome": event.outcome}
