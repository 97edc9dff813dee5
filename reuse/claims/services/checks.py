"""Who may claim, and the programme's limits: the claimant and its decision, the programme's territory, caps per
household and per association, the cooldown after a lapsed claim, and the lock that makes two tabs queue behind
each other."""

from datetime import timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inventory.models import Device
from reuse import places
from reuse.accounts.enums import OrganisationKind, OrganisationStatus
from reuse.accounts.models import Organisation, User
from reuse.accounts.privacy import lock_open_account
from reuse.claims.enums import ClaimStatus
from reuse.claims.models import Claim, ClaimEvent
from reuse.eligibility.enums import DecisionStatus, MandateScope
from reuse.eligibility.services.decisions import evaluate, valid_decision_for
from reuse.errors import Forbidden, IllegalTransition, NotFound
from reuse.policy.mandates import acting_mandate
from reuse.programmes.models import Programme, json_list_contains
from reuse.programmes.services import programme_for_department

PARIS = ZoneInfo("Europe/Paris")
HOLD_ENDED = gettext_lazy(
    "Le délai de réservation de cet appareil est dépassé : la réservation prend fin et l’appareil retourne au "
    "catalogue, sans rien à payer. Choisissez un autre appareil dans le catalogue ou inscrivez-vous sur la liste "
    "d’attente."
)


def department_of(user: User | None, organisation: Organisation | None) -> str:
    if organisation is not None:
        return organisation.department
    profile = getattr(user, "household", None)
    return profile.department if profile else ""


class Territory(NamedTuple):
    """Where a claimant may claim: its programme's name and departments, and who is told (`self` a household,
    `household` a household its referrer claims for, `association`)."""

    programme: str
    departments: tuple[str, ...]
    who: str


def territory_of(decision, *, actor: User | None = None, beneficiary: User | None = None) -> Territory:
    """The departments whose workshops' devices a claimant may claim: those of the programme that made it
    eligible (its caps, prices and hold time are that territory's)."""
    who = claimant_kind(actor, beneficiary)
    return Territory(decision.programme.name, programme_departments(decision.programme), who)


def programme_departments(programme) -> tuple[str, ...]:
    """The departments whose workshops' devices a programme's claimants may claim: the one territory rule, for
    a claim (territory_of) and for the waiting list's offers (programmes_covering) alike."""
    return tuple(str(code) for code in (programme.departments or []))


def programmes_covering(department: str) -> list[Programme]:
    """The programmes whose claimants may claim a device of a workshop of `department`."""
    return list(json_list_contains(Programme.objects.all(), "departments", str(department)))


# What a claimant is told when a device's workshop (DEVICE_OUTSIDE) or its own home (HOME_OUTSIDE) is outside the
# departments of its programme, by who is told (Territory.who).
DEVICE_OUTSIDE = {
    "association": gettext_lazy(
        "Votre association ne peut pas réserver cet appareil : il se trouve dans un atelier du département "
        "%(department)s, et son programme « %(programme)s » couvre seulement les départements "
        "%(departments)s. Choisissez un appareil d’un atelier de ces départements : votre espace association "
        "les montre."
    ),
    "household": gettext_lazy(
        "Ce foyer ne peut pas réserver cet appareil : il se trouve dans un atelier du département "
        "%(department)s, et le programme « %(programme)s » qui le rend éligible couvre seulement les "
        "départements %(departments)s. Choisissez pour lui un appareil d’un atelier de ces départements."
    ),
    "self": gettext_lazy(
        "Vous ne pouvez pas réserver cet appareil : il se trouve dans un atelier du département "
        "%(department)s, et votre programme « %(programme)s » couvre seulement les départements "
        "%(departments)s. Choisissez un appareil d’un atelier de ces départements : le catalogue les "
        "montre. Si vous avez déménagé, refaites le point sur votre droit depuis votre espace."
    ),
}
HOME_OUTSIDE = {
    "household": gettext_lazy(
        "Ce foyer habite dans le département %(department)s, que le programme « %(programme)s » qui le rend éligible "
        "ne couvre pas (il couvre %(departments)s) : la liste d’attente ne lui proposerait que des appareils de ces "
        "départements, loin de chez lui. Attestez de nouveau son éligibilité depuis sa fiche : le programme de son "
        "département s’appliquera."
    ),
    "self": gettext_lazy(
        "Vous habitez dans le département %(department)s, que votre programme « %(programme)s » ne couvre pas (il "
        "couvre %(departments)s) : la liste d’attente ne vous proposerait que des appareils de ces départements, "
        "loin de chez vous. Refaites le point sur votre droit depuis votre espace : le programme de votre "
        "département s’appliquera."
    ),
}


def territory_refusal(territory: Territory, department: str, words=DEVICE_OUTSIDE) -> str | None:
    """Why a device of a workshop of `department` (or a home there, with HOME_OUTSIDE) is out of reach, in plain
    words; None when the programme covers the department."""
    if department in territory.departments:
        return None
    values = {
        "department": department,
        "programme": territory.programme,
        "departments": ", ".join(territory.departments),
    }
    return str(words[territory.who] % values)


def check_territory(decision, device: Device, *, actor: User, beneficiary: User | None):
    """A claim is made only on a device of a workshop the claimant's programme covers. Every reservation path
    (a household, its referrer, an association's batch, the API) goes through this; a swap under warranty does
    not reserve anew, it replaces a device the household already received."""
    refusal = territory_refusal(
        territory_of(decision, actor=actor, beneficiary=beneficiary), device.workshop.department
    )
    if refusal:
        raise Forbidden(refusal, code="outside_territory")


def check_home_in_territory(decision, *, actor: User, beneficiary: User):
    """A household that moved out of its programme's territory would be offered devices far from its new home
    only (the waiting list offers the programme's territory, programmes_covering): it is told now to redo its
    eligibility, so that the programme of its new department applies."""
    territory = territory_of(decision, actor=actor, beneficiary=beneficiary)
    refusal = territory_refusal(territory, beneficiary.household.department, HOME_OUTSIDE)
    if refusal:
        raise Forbidden(refusal, code="outside_territory")


def check_household_cap(programme, beneficiary: User, device_type: str, actor: User | None = None):
    since = timezone.now() - timedelta(days=30 * programme.household_cap_months)
    taken = Claim.objects.active().filter(
        beneficiary=beneficiary, device__type=device_type, created__gte=since
    )
    if taken.count() >= programme.household_cap_devices:
        # Told to whoever asked: the household itself, or the referrer claiming on its behalf.
        if actor is not None and actor.pk != beneficiary.pk:
            message = _(
                "Plafond atteint : le programme « %(programme)s » permet %(cap)s appareil(s) de ce type par "
                "foyer sur %(months)s mois, et ce foyer en a déjà réservé ou reçu %(count)s."
            )
        else:
            message = _(
                "Plafond atteint : le programme « %(programme)s » permet %(cap)s appareil(s) de ce type par "
                "foyer sur %(months)s mois, et vous en avez déjà réservé ou reçu %(count)s."
            )
        raise Forbidden(
            message
            % {
                "programme": programme.name,
                "cap": programme.household_cap_devices,
                "months": programme.household_cap_months,
                "count": taken.count(),
            },
            code="cap_reached",
        )


def association_usage(programme, organisation: Organisation) -> int:
    year = timezone.localdate().year
    return Claim.objects.active().filter(organisation=organisation, created__year=year).count()


def check_association_cap(programme, organisation: Organisation, wanted: int):
    used = association_usage(programme, organisation)
    if used + wanted > programme.association_cap_per_year:
        raise Forbidden(
            _(
                "Plafond annuel atteint : %(cap)s appareils par an pour une association ; %(used)s déjà "
                "réservés ou reçus cette année, %(wanted)s demandés."
            )
            % {"cap": programme.association_cap_per_year, "used": used, "wanted": wanted},
            code="cap_reached",
        )


def check_cooldown(programme, device: Device, beneficiary, organisation):
    """After a cancelled or expired claim of a device, the same claimant waits the programme's cooldown before
    claiming it again: reserving, cancelling and reserving again does not hold a device for ever."""
    hours = programme.claim_cooldown_hours
    if not hours:
        return
    claims = Claim.objects.filter(device=device)
    claims = (
        claims.filter(organisation=organisation)
        if organisation is not None
        else claims.filter(beneficiary=beneficiary)
    )
    ended = (
        ClaimEvent.objects.filter(
            claim__in=claims,
            to_status__in=[ClaimStatus.CANCELLED, ClaimStatus.EXPIRED],
            created__gt=timezone.now() - timedelta(hours=hours),
        )
        .order_by("-created")
        .first()
    )
    if ended is None:
        return
    raise Forbidden(
        _(
            "Vous avez déjà réservé cet appareil, et la réservation a été annulée ou a expiré le %(ended)s. "
            "Pour laisser sa chance à un autre foyer, vous pourrez le réserver de nouveau à partir du "
            "%(again)s (règle du programme « %(programme)s » : %(hours)s heures)."
        )
        % {
            "ended": places.when_at(ended.created, device, _("j F Y à H:i")),
            "again": places.when_at(ended.created + timedelta(hours=hours), device, _("j F Y à H:i")),
            "programme": programme.name,
            "hours": hours,
        },
        code="cooldown",
    )


def resolve_claimant(*, actor: User, beneficiary: User | None, organisation: Organisation | None):
    """Return (beneficiary, organisation, mandate) for whom the claim is made, and the mandate a referrer makes it
    under (None when the household or an association claims for itself)."""
    if organisation is not None:
        if not organisation.memberships.filter(user=actor).exists() or (
            organisation.kind != OrganisationKind.ASSOCIATION
        ):
            raise NotFound()
        if organisation.status == OrganisationStatus.PENDING:
            # Just signed up: nothing is wrong with it, staff have not checked it yet.
            raise Forbidden(
                _(
                    "Votre association attend encore la vérification de l’équipe Rebond : elle pourra demander "
                    "des appareils dès qu’elle sera vérifiée. L’équipe vous écrira à l’adresse de l’association."
                ),
                code="not_eligible",
            )
        if organisation.status != OrganisationStatus.APPROVED:
            # Its decision was given to an approved association: a suspension stops its claims at once.
            raise Forbidden(
                _(
                    "Votre association est suspendue par l’équipe Rebond : elle ne peut pas demander d’appareil "
                    "pour le moment. Contactez l’équipe pour en savoir plus."
                ),
                code="not_eligible",
            )
        return None, organisation, None
    if beneficiary is not None and beneficiary.pk != actor.pk:
        try:
            mandate = acting_mandate(actor=actor, household=beneficiary, scope=MandateScope.CLAIMS)
        except NotFound:
            raise NotFound(_("Foyer introuvable ou sans mandat actif pour les demandes.")) from None
        return beneficiary, None, mandate
    if not hasattr(actor, "household"):
        raise Forbidden(
            _("Seul un foyer, une association ou un prescripteur peut demander un appareil."),
            code="not_eligible",
        )
    acting_mandate(
        actor=actor, household=actor, scope=MandateScope.CLAIMS
    )  # a code session may not cover claims
    return actor, None, None


def valid_decision(beneficiary, organisation, actor: User | None = None):
    decision = valid_decision_for(user=beneficiary, organisation=organisation)
    if decision is None:
        if organisation is not None:
            message = _(
                "Votre association n’a pas de décision d’éligibilité valide : l’équipe Rebond doit d’abord "
                "vérifier son éligibilité (ou la renouveler si elle a expiré)."
            )
        elif actor is not None and beneficiary is not None and actor.pk != beneficiary.pk:
            message = _(
                "Ce foyer n’a pas de décision d’éligibilité valide : attestez d’abord son éligibilité depuis sa "
                "fiche (ou renouvelez-la si elle a expiré)."
            )
        else:
            message = _(
                "Aucune décision d’éligibilité valide : vérifiez d’abord votre éligibilité "
                "(ou renouvelez-la si elle a expiré)."
            )
        raise Forbidden(message, code="not_eligible")
    department = department_of(beneficiary, organisation)
    if not follow_programme_in_force(decision, department):
        raise Forbidden(
            str(PROGRAMME_ENDED[claimant_kind(actor, beneficiary)])
            % {"programme": decision.programme.name, "department": department},
            code="not_eligible",
        )
    return decision


def follow_programme_in_force(decision, department: str) -> bool:
    """Read `decision` with the programme its claims follow today (`programme_in_force`); False, the decision
    untouched, when none is in force. Read, never saved: the decision stays the one that was made. A claim
    (valid_decision) and the catalogue's territory read it the same way."""
    programme = programme_in_force(decision, department)
    if programme is None:
        return False
    decision.programme = programme
    return True


def programme_in_force(decision, department: str):
    """The programme whose rules (territory, caps, prices, hold time) a decision's claims follow today: its own
    while it runs; once it has ended (or was switched off), the running programme of the claimant's department
    if that one would have made it eligible on the same grounds (evaluate: its criteria, its family-quotient
    ceiling, the same kind of evidence); else None, and claims stop until eligibility is checked again."""
    programme = decision.programme
    if Programme.objects.active().filter(pk=programme.pk).exists():
        return programme
    successor = programme_for_department(department)
    if successor is None or not successor.accepts(decision.evidence):
        return None
    status, _matched, _reasons = evaluate(
        programme=successor, criteria=decision.criteria, quotient_familial_eur=decision.quotient_familial_eur
    )
    return successor if status == DecisionStatus.ELIGIBLE else None


def claimant_kind(actor: User | None, beneficiary: User | None) -> str:
    """Who reads a refusal: `association`, `household` (its referrer reads it) or `self`."""
    if beneficiary is None:
        return "association"
    return "household" if actor is not None and actor.pk != beneficiary.pk else "self"


# What a claimant is told when the programme that made it eligible has ended and no running one takes over.
PROGRAMME_ENDED = {
    "association": gettext_lazy(
        "Le programme « %(programme)s » qui rendait votre association éligible est terminé, et aucun programme "
        "en cours ne la rend éligible aux mêmes conditions dans son département (%(department)s) : elle ne peut "
        "plus demander d’appareil pour l’instant. Demandez à l’équipe Rebond de vérifier de nouveau son "
        "éligibilité."
    ),
    "household": gettext_lazy(
        "Le programme « %(programme)s » qui rendait ce foyer éligible est terminé, et aucun programme en cours "
        "ne le rend éligible aux mêmes conditions dans son département (%(department)s) : il ne peut plus "
        "demander d’appareil pour l’instant. Attestez de nouveau son éligibilité depuis sa fiche : le programme "
        "de son département s’appliquera."
    ),
    "self": gettext_lazy(
        "Le programme « %(programme)s » qui vous rendait éligible est terminé, et aucun programme en cours ne "
        "vous rend éligible aux mêmes conditions dans votre département (%(department)s) : vous ne pouvez plus "
        "demander d’appareil pour l’instant. Refaites le point sur votre droit depuis votre espace : le "
        "programme de votre département s’appliquera."
    ),
}


def check_hold(claim: Claim):
    """A reservation whose hold has passed is over, even before the sweep frees its device: it is neither paid
    with a voucher nor moved to the counter (as a card payment is not started on it). Its words are the ones
    the claim's page shows (HOLD_ENDED)."""
    if claim.hold_ended:
        raise IllegalTransition(
            HOLD_ENDED,
            code="hold_expired",
        )


def lock_claimant(beneficiary, organisation):
    # Serialises one claimant's claims, so that two tabs cannot both pass the cap check.
    if organisation is not None:
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    else:
        lock_open_account(beneficiary)
