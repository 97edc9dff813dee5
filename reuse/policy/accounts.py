from django.contrib.auth.models import Permission
from django.db.models import BigIntegerField, CharField, Q, Value
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reuse.accounts.enums import MembershipRole, OrganisationKind, OrganisationStatus, Role
from reuse.accounts.models import HouseholdProfile, Membership, Organisation, User
from reuse.bounds import whole_number
from reuse.errors import DomainError

KIND_TO_ROLE = {
    OrganisationKind.DONOR: Role.DONOR,
    OrganisationKind.WORKSHOP: Role.WORKSHOP,
    OrganisationKind.ASSOCIATION: Role.ASSOCIATION,
    OrganisationKind.REFERRER: Role.REFERRER,
    OrganisationKind.HUB: Role.STAFF,
}
# When a person wears several hats, the landing page follows this order.
ROLE_PRIORITY = [Role.STAFF, Role.WORKSHOP, Role.DONOR, Role.REFERRER, Role.ASSOCIATION, Role.HOUSEHOLD]


def standing(user: User) -> dict:
    """What a signed-in person is, read once per request in one query and kept on the user object.

    {"kinds": organisation kinds they belong to, "approved_workshops": ids of their approved workshops,
    "household": whether they have a household profile}. Every page's navigation needs the roles and every
    stock page the workshops: one UNION instead of three queries.
    """
    cached = getattr(user, "_rebond_standing", None)
    if cached is not None:
        return cached
    memberships = Membership.objects.filter(user_id=user.pk).values_list(
        "organisation_id", "organisation__kind", "organisation__status"
    )
    household = (
        HouseholdProfile.objects.filter(user_id=user.pk)
        .annotate(
            none=Value(None, output_field=BigIntegerField()),
            marker=Value("household", output_field=CharField()),
            blank=Value("", output_field=CharField()),
        )
        .values_list("none", "marker", "blank")
    )
    kinds, workshops, is_household = set(), [], False
    for organisation_id, kind, status in memberships.union(household, all=True):
        if organisation_id is None:
            is_household = True
            continue
        kinds.add(kind)
        if kind == OrganisationKind.WORKSHOP and status == OrganisationStatus.APPROVED:
            workshops.append(organisation_id)
    cached = {"kinds": kinds, "approved_workshops": sorted(workshops), "household": is_household}
    user._rebond_standing = cached
    return cached


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_rebond_roles", None)
    if cached is not None:
        return cached
    found = standing(user)
    roles = {KIND_TO_ROLE[kind] for kind in found["kinds"]}
    if user.is_staff:
        roles.add(Role.STAFF)
    if found["household"]:
        roles.add(Role.HOUSEHOLD)
    user._rebond_roles = roles
    return roles


def primary_role(user: User) -> str | None:
    roles = roles_of(user)
    return next((role for role in ROLE_PRIORITY if role in roles), None)


def has_role(user: User, role: str) -> bool:
    return role in roles_of(user)


COORDINATORS_GROUP = "Coordinators"


def is_staff(user: User) -> bool:
    """Hub staff who see every organisation's data: superusers and the Coordinators group.

    Reviewers are staff too (they sign in to the Wagtail admin) but see eligibility only: see
    reuse.policy.eligibility.can_review_documents.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_rebond_coordinator", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=COORDINATORS_GROUP).exists()
        user._rebond_coordinator = cached
    return cached


def coordinators():
    """Staff who see everything (superusers and Coordinators): those alerted when something needs a human."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=COORDINATORS_GROUP))
        .distinct()
    )


def visible_organisations(user: User):
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_staff(user):
        return Organisation.objects.all()
    return Organisation.objects.for_user(user)


def organisations_of_kind(user: User, kind: str):
    """The organisations of a kind the user belongs to (staff included: membership is what counts here)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.for_user(user).filter(kind=kind)


def acting_organisations(user: User, kind: str):
    """The organisations of a kind through which the user may act now: the approved ones. A pending one has not
    been let in yet; a suspended one keeps its history (what organisations_of_kind shows) but its members act for
    it no more: no stock, no counter, no lot to accept, no ticket, no session, no household to act for."""
    return organisations_of_kind(user, kind).filter(status=OrganisationStatus.APPROVED)


# What a person in several organisations of a kind is told when they did not say which one they act for, and when
# the one they named is theirs but cannot act (pending, suspended, not accredited).
CHOICE_REQUIRED = {
    OrganisationKind.WORKSHOP: gettext_lazy(
        "Vous êtes membre de plusieurs ateliers : précisez lequel (« %(field)s ») parmi %(list)s."
    ),
    OrganisationKind.ASSOCIATION: gettext_lazy(
        "Vous êtes membre de plusieurs associations : précisez laquelle (« %(field)s ») parmi %(list)s."
    ),
    OrganisationKind.DONOR: gettext_lazy(
        "Vous êtes membre de plusieurs organisations donatrices : précisez laquelle (« %(field)s ») parmi "
        "%(list)s."
    ),
    OrganisationKind.REFERRER: gettext_lazy(
        "Vous êtes membre de plusieurs structures prescriptrices : précisez laquelle (« %(field)s ») parmi "
        "%(list)s."
    ),
}
CHOICE_NOT_USABLE = {
    OrganisationKind.WORKSHOP: gettext_lazy(
        "L’atelier n° %(id)s n’est pas validé : il ne peut pas encore gérer de stock."
    ),
    OrganisationKind.REFERRER: gettext_lazy(
        "La structure n° %(id)s n’est pas accréditée par l’équipe Rebond : elle ne peut pas enregistrer de mandat."
    ),
}
NOT_USABLE = gettext_lazy(
    "L’organisation n° %(id)s n’est pas validée par l’équipe Rebond : elle ne peut pas agir."
)


def acting_organisation(
    user: User, kind: str, chosen=None, *, among=None, field: str = "organisation_id"
) -> Organisation | None:
    """The organisation of `kind` a request acts for (a lot declared, a claim made, a file imported, a mandate
    recorded): the one the person chose among theirs, or their only one; None when they have none.

    `among` is the organisations of that kind they may act through (acting_organisations by default: a donor
    preparing its first lot before review, a referrer's accredited structures, say otherwise). A person in several
    must choose and never gets « the first one »: what they do would be filed under, and counted against, another
    organisation. A choice missing or not usable is a bad request (400, DomainError's own status, `code`
    "<kind>_required" listing theirs); an organisation that is not theirs, or unknown, is not found (404), as any
    other organisation's object."""
    usable = list((acting_organisations(user, kind) if among is None else among).order_by("name", "pk"))
    if chosen in (None, ""):
        if len(usable) > 1:
            listed = ", ".join(f"{organisation.name} (n° {organisation.pk})" for organisation in usable)
            raise DomainError(
                CHOICE_REQUIRED[kind] % {"field": field, "list": listed}, code=f"{kind}_required"
            )
        return usable[0] if usable else None
    pk = chosen.pk if isinstance(chosen, Organisation) else whole_number(chosen)
    found = next((organisation for organisation in usable if organisation.pk == pk), None)
    if found is not None:
        return found
    if pk is None:
        raise DomainError(
            _("« %(field)s » doit être le numéro d’une de vos organisations.") % {"field": field}
        )
    if organisations_of_kind(user, kind).filter(pk=pk).exists():
        raise DomainError(CHOICE_NOT_USABLE.get(kind, NOT_USABLE) % {"id": pk}, code=f"{kind}_not_approved")
    raise Http404


def get_visible_organisation(user: User, pk) -> Organisation:
    organisation = visible_organisations(user).filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def can_manage_organisation(user: User, organisation: Organisation) -> bool:
    if is_staff(user):
        return True
    return organisation.memberships.filter(user=user, role=MembershipRole.ADMIN).exists()


def may_close_own_account(user: User) -> bool:
    """A household closes its own account; a member of an organisation leaves it, staff are closed by staff (the
    records they signed must keep a name)."""
    found = standing(user) if user.is_authenticated else {}
    return bool(
        user.is_authenticated
        and user.is_active
        and not user.is_staff
        and not user.is_superuser
        and found["household"]
        and not found["kinds"]
    )


STAFF_RIGHT = "wagtailadmin.access_admin"


def groups_beyond(user: User, groups) -> list:
    """Among `groups`, those `user` may not give: a staff group (one opening the back-office, Coordinators first)
    is a superuser's to give, and no one hands out a permission they do not hold. A coordinator who could give
    Coordinators made a second coordinator of any account, their own accomplice's included. Superusers give all."""
    if user.is_superuser:
        return []
    held = user.get_all_permissions()
    beyond = []
    for group in groups:
        given = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list("content_type__app_label", "codename")
        }
        if STAFF_RIGHT in given or not given <= held:
            beyond.append(group)
    return beyond


def is_staff_account(account: User) -> bool:
    """An account of the Rebond team: it opens the back-office, is a superuser's or holds a group (every group
    gives back-office rights)."""
    return account.is_staff or account.is_superuser or account.groups.exists()


def membership_refused(by: User, account: User) -> bool:
    """Only a superuser makes a staff member a member of an organisation, or changes or ends such a membership: a
    coordinator who joined a workshop or an association acted in its name (stock, counter, households) on top of
    seeing everything, and nobody on the team gives themselves that. Anyone else's memberships follow the
    organisation's own rules (sign-up, invitation, staff in the admin)."""
    return not by.is_superuser and is_staff_account(account)


def rights_of(user: User) -> set[str]:
    """The permissions an account's groups and own grants give, as "app.codename", whether the account is active or
    not (Django's get_all_permissions() says none for an inactive one: switching it back on gives them again)."""
    given = Permission.objects.filter(Q(group__user=user) | Q(user=user)).distinct()
    return {f"{app}.{codename}" for app, codename in given.values_list("content_type__app_label", "codename")}


def accounts_beyond(user: User, accounts) -> list:
    """Among `accounts`, those `user` may not edit, delete, deactivate nor put in a group: a superuser, and anyone
    whose rights are not strictly narrower than theirs (a peer coordinator included), so that no one locks out, takes
    over or demotes an equal or a superior. Their own account is Wagtail's to guard (no self-delete, no
    self-deactivation) and the groups they give are groups_beyond's. Superusers act on all."""
    if user.is_superuser:
        return []
    held = user.get_all_permissions()
    return [
        account
        for account in accounts
        if account.pk != user.pk and (account.is_superuser or not rights_of(account) < held)
    ]
