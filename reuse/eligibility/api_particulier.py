"""Adapter for API Particulier (DINUM), v3 routes, called as the software provider of a public partner.

The partner's SIRET goes in `recipient`; the token comes from the server's configuration, keyed by programme
(settings.API_PARTICULIER_TOKENS = {programme pk or "default": token} or the environment variable
API_PARTICULIER_TOKEN_<programme pk>), never from the database or the repository. Nothing here stores the
identity it is given: it is sent once and forgotten.
"""

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import date

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from reuse.accounts.counters import count_up
from reuse.eligibility.enums import Criterion
from reuse.eligibility.reasons import reason
from reuse.errors import DomainError

DEFAULT_BASE_URL = "https://particulier.api.gouv.fr"
# The documented limit is 20 calls per second per token.
CALLS_PER_SECOND = 20
TIMEOUT = (3.05, 10)
NO_CAF_FILE = "37003"

ROUTES = {
    Criterion.QUOTIENT_FAMILIAL: "/v3/dss/quotient_familial/identite",
    Criterion.CSS: "/v3/dss/complementaire_sante_solidaire/identite",
    Criterion.RSA: "/v3/dss/revenu_solidarite_active/identite",
    Criterion.AAH: "/v3/dss/allocation_adulte_handicape/identite",
    Criterion.BOURSE: "/v3/cnous/etudiant_boursier/identite",
}
SUPPORTED = tuple(ROUTES)


class ApiParticulierError(DomainError):
    status = 503
    code = "api_particulier_unavailable"

    def __init__(self, message=None, *, code=None):
        super().__init__(
            message or _("La vérification automatique ne répond pas. Réessayez plus tard."), code=code
        )


class NotConfigured(ApiParticulierError):
    code = "api_particulier_not_configured"


@dataclass
class Identity:
    """What the v3 identity routes need (birth name, first names, birth date, sex, birth place INSEE codes)."""

    birth_name: str
    first_names: list[str]
    birth_date: date
    sex: str  # "F" or "M", as on the civil registry
    birth_country_code: str = "99100"  # France
    birth_commune_code: str = ""

    def params(self) -> dict:
        params = {
            "nomNaissance": self.birth_name.strip().upper(),
            "prenoms[]": [name.strip().upper() for name in self.first_names if name.strip()],
            "anneeDateNaissance": self.birth_date.year,
            "moisDateNaissance": self.birth_date.month,
            "jourDateNaissance": self.birth_date.day,
            "sexeEtatCivil": self.sex,
            "codeCogInseePaysNaissance": self.birth_country_code,
        }
        if self.birth_commune_code:
            params["codeCogInseeCommuneNaissance"] = self.birth_commune_code
        return params


@dataclass
class CheckResult:
    verified: list[str] = field(default_factory=list)
    quotient_familial_eur: int | None = None
    reasons: list[dict] = field(default_factory=list)


def token_for(programme) -> str:
    tokens = getattr(settings, "API_PARTICULIER_TOKENS", {}) or {}
    return (
        tokens.get(programme.pk)
        or tokens.get(str(programme.pk))
        or os.environ.get(f"API_PARTICULIER_TOKEN_{programme.pk}", "")
        or tokens.get("default", "")
    )


def is_configured(programme) -> bool:
    return bool(programme.api_particulier_recipient_siret and token_for(programme))


def _throttle(token: str) -> None:
    """At most CALLS_PER_SECOND calls per token and second, shared through the cache between processes."""
    key_base = "apip:" + hashlib.sha256(token.encode()).hexdigest()[:16]
    for _attempt in range(50):
        second = int(time.time())
        if count_up(f"{key_base}:{second}", 5) <= CALLS_PER_SECOND:
            return
        time.sleep(max(0.0, second + 1 - time.time()) + 0.01)
    raise ApiParticulierError(code="api_particulier_rate_limited")


class ApiParticulierClient:
    def __init__(self, programme, *, base_url: str | None = None, token: str | None = None, timeout=TIMEOUT):
        self.programme = programme
        self.recipient = programme.api_particulier_recipient_siret
        self.token = token if token is not None else token_for(programme)
        self.base_url = (
            base_url or getattr(settings, "API_PARTICULIER_BASE_URL", "") or DEFAULT_BASE_URL
        ).rstrip("/")
        self.timeout = timeout
        if not self.recipient or not self.token:
            raise NotConfigured(_("La vérification automatique n’est pas disponible pour ce programme."))

    def _get(self, route: str, identity: Identity) -> tuple[int, dict]:
        _throttle(self.token)
        try:
            response = requests.get(
                self.base_url + route,
                params={"recipient": self.recipient, **identity.params()},
                headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.Timeout as exc:
            raise ApiParticulierError(code="api_particulier_timeout") from exc
        except requests.RequestException as exc:
            raise ApiParticulierError() from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 429:
            raise ApiParticulierError(
                _("Trop de vérifications en même temps. Réessayez dans une minute."),
                code="api_particulier_rate_limited",
            )
        if response.status_code in (401, 403):
            raise NotConfigured(_("Le jeton API Particulier de ce programme est refusé."))
        if response.status_code >= 500:
            raise ApiParticulierError()
        return response.status_code, body if isinstance(body, dict) else {}

    @staticmethod
    def _error_codes(body: dict) -> set[str]:
        return {str(error.get("code")) for error in body.get("errors", []) if isinstance(error, dict)}

    def check(self, criterion: str, identity: Identity) -> CheckResult:
        """Ask the route of one criterion. A missing file is an answer (not verified), not a failure."""
        result = CheckResult()
        status, body = self._get(ROUTES[criterion], identity)
        if status == 404:
            if NO_CAF_FILE in self._error_codes(body):
                result.reasons.append(reason("api_no_caf_file", criterion=criterion))
            else:
                result.reasons.append(reason("api_not_found", criterion=criterion))
            return result
        if status != 200:
            result.reasons.append(reason("api_unavailable", criterion=criterion))
            return result
        data = body.get("data") or {}
        if criterion == Criterion.QUOTIENT_FAMILIAL:
            value = (data.get("quotient_familial") or {}).get("valeur")
            if isinstance(value, int | float):
                result.quotient_familial_eur = int(value)
                result.verified.append(criterion)
                result.reasons.append(
                    reason(
                        "api_quotient_known",
                        provider=(data.get("quotient_familial") or {}).get("fournisseur", "CAF"),
                        value=int(value),
                    )
                )
            return result
        flag = data.get("est_boursier") if criterion == Criterion.BOURSE else data.get("est_beneficiaire")
        if flag is True:
            result.verified.append(criterion)
            result.reasons.append(reason("api_right_confirmed", criterion=criterion))
        else:
            result.reasons.append(reason("api_no_right", criterion=criterion))
        return result

    def check_all(self, criteria, identity: Identity) -> CheckResult:
        total = CheckResult()
        for criterion in criteria:
            if criterion not in ROUTES:
                continue
            one = self.check(criterion, identity)
            total.verified += one.verified
            total.reasons += one.reasons
            if one.quotient_familial_eur is not None:
                total.quotient_familial_eur = one.quotient_familial_eur
        return total
