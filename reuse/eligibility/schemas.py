from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from reuse import bounds
from reuse.accounts.models import HouseholdProfile, User
from reuse.eligibility.models import EligibilityDecision, Mandate
from reuse.errors import InputSchema


class MandateIn(InputSchema):
    stored_in = (Mandate,)
    scope: list[str]
    months: int = Field(ge=1, le=24)
    # Calling this operation is the referrer's statement that the person consented; say how it was signed.
    consent_method: str = "printed"
    signed_name: str = ""


class HouseholdIn(InputSchema):
    stored_in = (User, HouseholdProfile)
    # Empty or left out for a person with a single name (« sans prénom » in French civil records).
    first_name: str = Field("", max_length=150)
    last_name: str = Field(min_length=1, max_length=150)
    birth_date: date
    # As typed (« 97 400 », a no-break space): normalised to its 5 digits by the one postcode rule.
    postcode: str = Field(max_length=12)
    household_size: int = Field(1, ge=bounds.HOUSEHOLD_SIZE.low, le=bounds.HOUSEHOLD_SIZE.high)
    email: str | None = None
    mandate: MandateIn
    # Required from a referrer in several accredited structures: the one that follows the household.
    organisation_id: int | None = None


class MandateOut(Schema):
    id: int
    scope: list[str]
    expires_at: datetime


class EligibilitySummary(Schema):
    """What every referrer following the household may know, whatever its mandate covers (the grounds are read
    with GET /api/v1/eligibility/{id}, under a mandate covering eligibility)."""

    id: int
    status: str
    expires_at: datetime | None
    programme: str


class HouseholdOut(Schema):
    id: int
    first_name: str
    last_name: str
    # As typed (« 97 400 », a no-break space): normalised to its 5 digits by the one postcode rule.
    postcode: str = Field(max_length=12)
    department: str
    household_size: int
    has_email: bool
    mandate: MandateOut | None
    eligibility: EligibilitySummary | None


class IdentityIn(InputSchema):
    stored_in = ()  # sent to API Particulier, never stored
    birth_name: str
    first_names: list[str]
    birth_date: date
    sex: str = Field(pattern="^[FM]$")
    birth_country_code: str = "99100"
    birth_commune_code: str = ""


class EligibilityIn(InputSchema):
    stored_in = (EligibilityDecision,)
    criteria: list[str] = []
    evidence: str
    beneficiary_id: int | None = None
    quotient_familial_eur: int | None = Field(
        None, ge=bounds.QUOTIENT_FAMILIAL_EUR.low, le=bounds.QUOTIENT_FAMILIAL_EUR.high
    )
    identity: IdentityIn | None = None
    # Waitlist priority situations a referrer verified with the rights (attestation only).
    priorities: list[str] = []


class DecisionOut(Schema):
    id: int
    status: str
    expires_at: datetime | None
    reasons: list[str]
    criteria: list[str]
    priorities: list[str]
    evidence: str
    programme: str
