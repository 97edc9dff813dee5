"""Eligibility use-cases, one module per capability: decisions, documents, associations, accreditations,
mandates, households (opened by a referrer) and duplicates. Callers import the module they use."""
