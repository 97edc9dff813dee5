"""Eligibility use-cases, one module per capability: decisions, documents, associations, accreditations,
mandates, households (opened by a referrer) and duplicates. Callers import the module they use."""

# The claims side's one lookup, where it has always imported it from (reuse/claims is being split apart at the
# same time): remove once reuse.claims imports reuse.eligibility.services.decisions.
from reuse.eligibility.services.decisions import valid_decision_for

__all__ = ["valid_decision_for"]
