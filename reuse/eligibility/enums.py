from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    """Social-tariff criteria (codes fixed by PRODUCT.md)."""

    RSA = "rsa", _("RSA (revenu de solidarité active)")
    AAH = "aah", _("AAH (allocation aux adultes handicapés)")
    ASS = "ass", _("ASS (allocation de solidarité spécifique)")
    ASPA = "aspa", _("ASPA (minimum vieillesse)")
    CSS = "css", _("Complémentaire santé solidaire")
    PRIME_ACTIVITE = "prime_activite", _("Prime d’activité")
    BOURSE = "bourse", _("Bourse d’études sur critères sociaux")
    QUOTIENT_FAMILIAL = "quotient_familial", _("Quotient familial sous le plafond du programme")


class Evidence(models.TextChoices):
    ATTESTATION = "attestation", _("Attestation d’un prescripteur")
    DOCUMENT = "document", _("Justificatif vérifié par l’équipe")
    API_PARTICULIER = "api_particulier", _("Vérification API Particulier")
    DECLARATION = "declaration", _("Déclaration sur l’honneur")


class PrioritySituation(models.TextChoices):
    """Situations that move a household up a programme's waitlist, once verified with its eligibility evidence."""

    QPV_ZRR = "qpv_zrr", _("Habite en quartier prioritaire (QPV) ou en zone rurale (ZRR)")
    NO_COMPUTER = "no_computer", _("Aucun ordinateur au foyer")
    CHILDREN_AT_SCHOOL = "children_at_school", _("Enfants scolarisés")


# Evidence someone other than the household checked: only a decision resting on it can back a priority.
VERIFIED_EVIDENCE = (Evidence.ATTESTATION, Evidence.DOCUMENT, Evidence.API_PARTICULIER)


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ELIGIBLE = "eligible", _("Éligible")
    INELIGIBLE = "ineligible", _("Non éligible")


class MandateScope(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Vérifier l’éligibilité")
    CLAIMS = "claims", _("Demander un appareil")


class ConsentMethod(models.TextChoices):
    PRINTED = "printed", _("Mandat imprimé et signé sur papier")
    ON_SCREEN = "on_screen", _("Mandat signé à l’écran")
    # A household with its own access (email or password) accepts a new mandate itself, in its own space.
    HOUSEHOLD_ACCOUNT = "household_account", _("Accepté par la personne dans son espace Rebond")


class DocumentStatus(models.TextChoices):
    WAITING = "waiting", _("À examiner")
    APPROVED = "approved", _("Accepté")
    REJECTED = "rejected", _("Refusé")


class RefusalReason(models.TextChoices):
    """Why staff refuse a proof: a code the household reads in its own language, with what to send instead
    (reuse/eligibility/reasons.py), whatever language the reviewer worked in."""

    ILLEGIBLE = "illegible", _("Illisible, flou ou coupé")
    EXPIRED = "expired", _("Trop ancien")
    WRONG_DOCUMENT = "wrong_document", _("Ne montre pas l’aide déclarée")
    NAME_MISMATCH = "name_mismatch", _("Au nom d’une personne hors du foyer")
    INCOMPLETE = "incomplete", _("Incomplet : il manque des pages")
    OTHER = "other", _("Autre raison (à préciser)")


class JournalAction(models.TextChoices):
    MANDATE_RECORDED = "mandate_recorded", _("Mandat enregistré")
    MANDATE_REVOKED = "mandate_revoked", _("Mandat révoqué")
    MANDATE_REQUESTED = "mandate_requested", _("Mandat proposé, en attente de l’accord de la personne")
    MANDATE_ACCEPTED = "mandate_accepted", _("Mandat accepté par la personne")
    MANDATE_REFUSED = "mandate_refused", _("Mandat refusé par la personne")
    HOUSEHOLD_CREATED = "household_created", _("Compte du foyer créé")
    ATTESTATION = "attestation", _("Éligibilité attestée")
    DOCUMENT_UPLOADED = "document_uploaded", _("Justificatif déposé")
    SIGN_IN_CODE = "sign_in_code", _("Code de connexion imprimé")
    CLAIM = "claim", _("Demande d’appareil")
    VIEWED = "viewed", _("Dossier consulté")


# Questionnaire answers that are not a criterion.
NO_CRITERION = "none"
