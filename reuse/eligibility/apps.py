from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "reuse.eligibility"
    label = "eligibility"
    verbose_name = "Éligibilité et programmes"
