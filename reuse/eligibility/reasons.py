"""Why a decision says what it says: stored as codes with parameters, written out in the reader's language.

A decision's `reasons` hold `{"code": ..., "params": {...}}` items; `render` turns one into a sentence with
the active language, so a household reading in English, a reviewer in French and the API all read the same
reason in their own words, and the code (not a translated word) is what the services look for. Reasons stored
as plain sentences before the codes existed are shown as they were written.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from reuse.eligibility.enums import Criterion, RefusalReason
from reuse.money import format_whole_euros

TEMPLATES = {
    "criterion_not_in_programme": _(
        "%(label)s : ce critère ne fait pas partie du programme « %(programme)s »."
    ),
    "criterion_retained": _("%(label)s : critère retenu par le programme « %(programme)s »."),
    "quotient_missing": _("Quotient familial : le montant n’est pas indiqué."),
    "quotient_within": _("Quotient familial de %(qf)s : il ne dépasse pas le plafond de %(max)s."),
    "quotient_above": _("Quotient familial de %(qf)s : il dépasse le plafond de %(max)s."),
    "nothing_declared": _("Aucune aide sociale ni quotient familial n’a été indiqué."),
    "document_to_review": _("Justificatif à examiner par l’équipe Rebond (quelques jours ouvrés)."),
    "document_verified": _("Justificatif vérifié par l’équipe Rebond."),
    "document_refused": _("Justificatif refusé : %(note)s"),
    "association_not_approved": _("L’association n’est pas encore vérifiée."),
    "association_not_verified": _("L’objet et le public de l’association ne sont pas encore vérifiés."),
    "programme_not_for_associations": _("Le programme « %(p)s » ne s’adresse pas aux associations."),
    "association_eligible": _(
        "Association vérifiée par l’équipe Rebond ; le programme « %(p)s » l’accepte jusqu’à %(cap)s appareils par an."
    ),
    "api_no_caf_file": _("%(label)s : aucun dossier CAF trouvé à ce nom."),
    "api_not_found": _("%(label)s : personne non trouvée."),
    "api_unavailable": _("%(label)s : vérification impossible."),
    "api_quotient_known": _("Quotient familial connu de la %(provider)s : %(value)s."),
    "api_right_confirmed": _("%(label)s : droit confirmé par l’organisme."),
    "api_no_right": _("%(label)s : pas de droit ouvert selon l’organisme."),
}
# Parameters that are amounts in whole euros, written in the reader's language by the one money formatter.
AMOUNTS = {
    "quotient_within": ("qf", "max"),
    "quotient_above": ("qf", "max"),
    "api_quotient_known": ("value",),
}
DEFAULT_REFUSAL = _("il ne prouve pas le droit déclaré.")
# Why a proof was refused and what to send instead, by RefusalReason: the household reads it in its own language.
REFUSALS = {
    RefusalReason.ILLEGIBLE: _(
        "Justificatif refusé : il est illisible, flou ou coupé. Envoyez une photo nette de la page entière, prise à "
        "plat et bien éclairée, ou le PDF reçu de l’organisme."
    ),
    RefusalReason.EXPIRED: _(
        "Justificatif refusé : il est trop ancien. Envoyez une attestation de moins de trois mois, à télécharger "
        "dans votre espace en ligne de l’organisme qui verse l’aide (CAF, MSA, France Travail, Ameli)."
    ),
    RefusalReason.WRONG_DOCUMENT: _(
        "Justificatif refusé : il ne montre pas l’aide que vous avez déclarée. Envoyez l’attestation de droits ou "
        "de paiement de cette aide."
    ),
    RefusalReason.NAME_MISMATCH: _(
        "Justificatif refusé : il est au nom d’une personne qui n’est pas de votre foyer. Envoyez un document à "
        "votre nom ou à celui d’une personne de votre foyer."
    ),
    RefusalReason.INCOMPLETE: _(
        "Justificatif refusé : il manque des pages. Envoyez le document complet, toutes ses pages."
    ),
    RefusalReason.OTHER: _("Justificatif refusé."),
}
REVIEWER_NOTE = _("Précision de l’équipe Rebond : « %(note)s »")


def reason(code: str, **params) -> dict:
    """A reason to store. `criterion` (a Criterion code) is rendered as its label in the reader's language."""
    if code not in TEMPLATES:
        raise ValueError(f"Unknown decision reason: {code}")
    return {"code": code, "params": params}


def code_of(item) -> str:
    return item.get("code", "") if isinstance(item, dict) else ""


def is_pending_reason(item) -> bool:
    """The "document to review" reason, as a code, or as a sentence stored before codes (in any language)."""
    if isinstance(item, dict):
        return item.get("code") == "document_to_review"
    written = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            written.add(str(TEMPLATES["document_to_review"]))
    return str(item) in written


def render(item) -> str:
    if not isinstance(item, dict):
        return str(item)
    template = TEMPLATES.get(item.get("code"))
    if template is None:
        return str(item.get("code", ""))
    params = dict(item.get("params") or {})
    if params.get("criterion") in Criterion.values:
        params["label"] = str(Criterion(params["criterion"]).label)
    for name in AMOUNTS.get(item["code"], ()):
        if params.get(name) is not None:
            params[name] = format_whole_euros(params[name])
    if item["code"] == "document_refused" and params.get("refusal") in REFUSALS:
        return _refusal(params)
    if item["code"] == "document_refused" and not params.get("note"):
        params["note"] = str(DEFAULT_REFUSAL)
    return str(template) % params if params else str(template)


def _refusal(params) -> str:
    """The refusal by its code, then the reviewer's own words (rendered as text: escaped by each template)."""
    text = str(REFUSALS[params["refusal"]])
    if params.get("note"):
        text = f"{text} {REVIEWER_NOTE % {'note': params['note']}}"
    return text


def render_all(items) -> list[str]:
    return [render(item) for item in items or []]
