"""Acting on a household's behalf: the one rule, read by every view, API operation and service.

Two kinds of people act on a household's account without being its owner signing in with its own credentials:
- a referrer, under a running mandate of one of their referrer organisations, within that mandate's scope;
- whoever types a printed sign-in code: the session it opens is bound to the mandate the code was issued under,
  and may do only what that mandate's scope covers, while it runs.

`running_mandates` is the rule for referrers, `session_allows` for code sessions, and `acting_mandate` the check
a use-case makes before it acts. Nothing else in the project reads a mandate's scope.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from reuse.accounts.auth import CODE_SESSION_ATTRIBUTE, has_own_credentials
from reuse.accounts.enums import OrganisationKind
from reuse.accounts.models import User
from reuse.eligibility.enums import MandateScope
from reuse.eligibility.models import Mandate, ReferrerAccreditation
from reuse.errors import Forbidden, NotFound
from reuse.policy.accounts import organisations_of_kind


def accredited_organisations(user: User):
    """The referrer organisations of `user` that staff approved and accredited (an active accreditation is an
    approved organisation's): the only ones whose members attest or act under a mandate."""
    accredited = ReferrerAccreditation.objects.active().values("organisation")
    return organisations_of_kind(user, OrganisationKind.REFERRER).filter(pk__in=accredited)


def running_mandates(user: User, *, scope: str | None = None, household: User | None = None, at=None):
    """Running mandates (consented, neither withdrawn nor ended) of the approved and accredited referrer
    organisations `user` belongs to; with `scope`, only those whose scope covers it; with `household`, only that
    household's.

    The members of an organisation staff suspended, or whose accreditation they withdrew, act for nobody while it
    lasts (the household's own access is untouched, and the mandates run again once staff restore it). Nobody
    acts for an account that is closed or that staff deactivated."""
    if not user.is_authenticated:
        return Mandate.objects.none()
    mandates = Mandate.objects.active(at).filter(
        referrer_organisation__in=accredited_organisations(user), household__is_active=True
    )
    if household is not None:
        mandates = mandates.filter(household=household)
    if scope is not None:
        mandates = mandates.covering(scope)
    return mandates


def covers_the_whole_account(scopes) -> bool:
    """Whether a mandate of `scopes` covers every scope: what whoever gives the account its address may do."""
    return set(MandateScope.values) <= set(scopes or [])


def gives_address(user: User, household: User) -> bool:
    """Whether `user` may give `household`'s account its address (while it is in someone's care: reuse.accounts.
    identifiers). Whoever sets the address can take the account, since its password reset link goes there: only a
    referrer under a running mandate covering every scope, never one whose mandate keeps part of it from them."""
    mandates = running_mandates(user, household=household)
    for scope in MandateScope.values:
        mandates = mandates.covering(scope)
    return mandates.exists()


def households_covered(user: User, scope: str):
    """Ids of the households `user` may act for in `scope`, as a subquery."""
    return running_mandates(user, scope=scope).values("household")


def code_session(user: User):
    """The sign-in code the current session was opened with, or None for a session opened otherwise."""
    return getattr(user, CODE_SESSION_ATTRIBUTE, None)


def open_code_session(user: User, code) -> None:
    setattr(user, CODE_SESSION_ATTRIBUTE, code)


def code_session_is_valid(code, user: User) -> bool:
    """A code session lasts while its code and its mandate run, for a household with no credentials of its own."""
    return bool(
        code is not None
        and code.user_id == user.pk
        and user.is_active
        and code.revoked_at is None
        and code.expires_at > timezone.now()
        and code.mandate.is_active
        and not has_own_credentials(user)
    )


def session_allows(user: User, scope: str) -> bool:
    """Whether a person may act in `scope` on their own account in the current session.

    Always, in a session opened with their own credentials; in a session opened with a sign-in code, only what
    the code's mandate covers, while it runs.
    """
    code = code_session(user)
    if code is None:
        return True
    mandate = code.mandate
    return mandate.is_active and scope in (mandate.scopes or [])


def session_scope_or_404(user: User, scope: str) -> None:
    """A page of the person's own account acting in `scope`: a 404, before anything is read or any form checked,
    in a session opened with a printed code whose mandate does not cover it (session_allows). The referrer who
    printed the code may be the one typing it, and finds there no more than on its own pages."""
    if not session_allows(user, scope):
        raise Http404


def acting_mandate(*, actor: User, household: User, scope: str) -> Mandate | None:
    """The check before acting on `household`'s account in `scope`.

    Returns the mandate the action is done under: None when the household acts in a session opened with its own
    credentials, the code's mandate in a code session, the referrer's mandate otherwise. Raises NotFound when a
    referrer holds no running mandate covering `scope` (nobody learns that the household exists), Forbidden
    when a code session asks for more than its mandate covers.
    """
    if actor.pk == household.pk:
        if not session_allows(actor, scope):
            raise Forbidden(scope_refusal(scope), code="mandate_scope")
        code = code_session(actor)
        return code.mandate if code is not None else None
    mandate = running_mandates(actor, scope=scope, household=household).order_by("-created", "-pk").first()
    if mandate is None:
        own = organisations_of_kind(actor, OrganisationKind.REFERRER)
        if household.is_active and (
            Mandate.objects.active()
            .filter(household=household, referrer_organisation__in=own)
            .covering(scope)
            .exists()
        ):
            # The household consented to the referrer's own organisation, which staff have since suspended or
            # stopped accrediting: it is told why, not that the person does not exist.
            raise Forbidden(
                _(
                    "Votre structure n’est plus accréditée par l’équipe Rebond (ou elle est suspendue) : vous ne "
                    "pouvez pas agir pour cette personne tant que l’équipe ne l’a pas rétablie."
                ),
                code="not_accredited",
            )
        raise NotFound()
    return mandate


def scope_refusal(scope: str) -> str:
    label = MandateScope(scope).label if scope in MandateScope.values else scope
    return _(
        "Vous êtes entré(e) avec un code de connexion : il permet seulement ce que couvre le mandat donné à "
        "votre accompagnateur, et pas « %(scope)s ». Demandez-lui de le faire avec vous, ou de modifier le mandat "
        "avec votre accord."
    ) % {"scope": label}
