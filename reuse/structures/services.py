"""Small structures and equipment cheques: register (SIRET checked by reuse.accounts.validators), verify, issue cheques in
batches, and the rules a cheque's redemption checks. Keyword-only, atomic, typed errors."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import Organisation, User
from reuse.accounts.services import OrganisationDetails
from reuse.accounts.validators import normalise_identifier, validate_siret
from reuse.claims.enums import ACTIVE_CLAIM_STATUSES
from reuse.claims.models import HANDOVER_ALPHABET, Claim, Voucher
from reuse.eligibility.services import associations
from reuse.errors import Forbidden, InvalidInput, NotFound
from reuse.structures.enums import MAX_BATCH, MAX_HEADCOUNT, StructureCategory
from reuse.structures.models import ChequeBatch, ChequeProgramme, EquipmentCheque, StructureProfile

CODE_GROUPS = 2
CODE_GROUP_LENGTH = 4


def checked_siret(value: str) -> str:
    """The SIRET in 14 digits, checked by the one validator (python-stdnum: Luhn, and La Poste's own rule)."""
    siret = normalise_identifier(value)
    try:
        validate_siret(siret)
    except ValidationError as exc:
        raise InvalidInput(
            _(
                "Ce SIRET n’est pas valide : vérifiez les 14 chiffres (sur un avis de situation INSEE ou un Kbis)."
            ),
            code="siret",
        ) from exc
    return siret


@transaction.atomic
def register_structure(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    name: str,
    siret: str,
    address: str,
    postcode: str,
    city: str,
    category: str,
    headcount: int,
    activity: str,
) -> Organisation:
    """A small structure signs up: it claims like an association once staff have verified it."""

    siret = checked_siret(siret)
    if category not in StructureCategory.values:
        raise InvalidInput(_("Choisissez le type de structure."), code="category")
    if not 1 <= int(headcount) <= MAX_HEADCOUNT:
        raise InvalidInput(
            _("Les chèques équipement s’adressent aux structures de %(n)s personnes au plus.")
            % {"n": MAX_HEADCOUNT},
            code="headcount",
        )
    if not (activity or "").strip():
        raise InvalidInput(_("Décrivez votre activité en quelques mots."), code="activity")
    if Organisation.objects.filter(siret=siret, kind=OrganisationKind.ASSOCIATION).exists():
        raise InvalidInput(_("Une structure est déjà inscrite avec ce SIRET."), code="siret_taken")
    label = StructureCategory(category).label
    organisation = associations.register_association(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        details=OrganisationDetails(name=name, address=address, postcode=postcode, city=city, siret=siret),
        purpose=activity.strip(),
        public=str(label),
    )
    StructureProfile.objects.create(
        organisation=organisation, category=category, headcount=int(headcount), activity=activity.strip()
    )
    return organisation


@transaction.atomic
def verify_structure(*, organisation: Organisation, by: User):
    """Staff checked the structure (SIRET active, headcount, activity): it may claim, and spend cheques."""

    profiles = StructureProfile.objects.filter(organisation=organisation)
    if not profiles.exists():
        raise NotFound()
    profiles.verify(by)
    return associations.verify_association(organisation=organisation, by=by)


def _new_code() -> str:
    groups = [
        "".join(secrets.choice(HANDOVER_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    ]
    return "EQ-" + "-".join(groups)


@transaction.atomic
def issue_batch(*, programme: ChequeProgramme, count: int, by: User) -> ChequeBatch:
    """Issue `count` cheques of the programme at once: codes nobody can guess, printable as a batch."""
    if not 1 <= count <= MAX_BATCH:
        raise InvalidInput(_("Entre 1 et %(n)s chèques par carnet.") % {"n": MAX_BATCH}, code="count")
    if programme.valid_until < timezone.localdate():
        raise InvalidInput(_("Ce programme a pris fin : aucun chèque ne peut plus être émis."), code="ended")
    batch = ChequeBatch.objects.create(programme=programme, count=count, created_by=by)
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(_new_code())
    taken = set(Voucher.objects.filter(code__in=codes).values_list("code", flat=True))
    while taken:
        codes -= taken
        while len(codes) < count:
            codes.add(_new_code())
        taken = set(Voucher.objects.filter(code__in=codes).values_list("code", flat=True))
    vouchers = Voucher.objects.bulk_create(
        Voucher(
            code=code,
            face_value_cents=programme.face_value_cents,
            funder=programme.funder,
            expires_on=programme.valid_until,
        )
        for code in sorted(codes)
    )
    if any(v.pk is None for v in vouchers):  # backends that do not return ids from a bulk insert
        vouchers = list(Voucher.objects.filter(code__in=codes))
    EquipmentCheque.objects.bulk_create(
        EquipmentCheque(voucher=voucher, batch=batch, programme=programme) for voucher in vouchers
    )
    return batch


def structure_cheques_used(*, programme: ChequeProgramme, organisation: Organisation) -> int:
    return EquipmentCheque.objects.filter(
        programme=programme,
        voucher__claim__organisation=organisation,
        voucher__claim__status__in=ACTIVE_CLAIM_STATUSES,
    ).count()


def check_redemption(*, voucher: Voucher, claim: Claim) -> None:
    """The rules of an equipment cheque, checked under a lock on the cheque and on the structure: for a verified
    small structure of the programme's categories and departments, on a priced device, within its validity and
    the programme's devices per structure. The voucher's own conditional update then spends it once."""
    cheque = EquipmentCheque.objects.select_related("programme").filter(voucher_id=voucher.pk).first()
    if cheque is None:
        return
    # Row locks: two redemptions of this cheque, or two cheques of one structure, wait for each other.
    locked = Voucher.objects.select_for_update().filter(pk=voucher.pk).first()
    if locked.redeemed_at is not None or locked.expires_on < timezone.localdate():
        return  # the voucher's own conditional update refuses it as used or expired

    programme = cheque.programme
    organisation = claim.organisation
    if organisation is None:
        raise Forbidden(
            _("Un chèque équipement est réservé aux petites structures."), code="cheque_not_for_you"
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    profile = StructureProfile.objects.filter(organisation=organisation).first()
    if profile is None or not profile.is_verified:
        raise Forbidden(
            _(
                "Votre structure doit d’abord être vérifiée par l’équipe Rebond pour utiliser un chèque équipement."
            ),
            code="cheque_not_for_you",
        )
    if profile.category not in (programme.categories or []) or organisation.department not in (
        programme.departments or []
    ):
        raise Forbidden(
            _(
                "Ce chèque équipement ne s’adresse pas à votre structure (type ou département) : voir « %(p)s »."
            )
            % {"p": programme.name},
            code="cheque_not_for_you",
        )
    today = timezone.localdate()
    if not programme.valid_from <= today <= programme.valid_until:
        raise InvalidInput(_("Ce chèque équipement n’est pas valable aujourd’hui."), code="voucher_used")
    if not claim.price_cents:
        raise InvalidInput(
            _(
                "Un chèque équipement s’utilise sur un appareil payant : celui-ci est gratuit, gardez votre chèque."
            ),
            code="cheque_free_device",
        )
    used = structure_cheques_used(programme=programme, organisation=organisation)
    if used >= programme.devices_per_structure:
        raise Forbidden(
            _("Plafond atteint : %(n)s appareil(s) par structure avec les chèques « %(p)s ».")
            % {"n": programme.devices_per_structure, "p": programme.name},
            code="cap_reached",
        )


def programmes_for(organisation: Organisation):
    """Running cheque programmes a structure may spend: its category and its department."""
    profile = StructureProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        return ChequeProgramme.objects.none()
    return [
        p
        for p in ChequeProgramme.objects.running().filter(~Q(departments=[]))
        if profile.category in (p.categories or []) and organisation.department in (p.departments or [])
    ]
