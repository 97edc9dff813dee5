from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "reuse.eligibility"
    label = "eligibility"
    verbose_name = "Éligibilité et programmes"

    def ready(self):
        from reuse.eligibility import receivers  # noqa: F401  (connects the signal receivers)
