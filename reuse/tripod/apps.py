from django.apps import AppConfig


class TripodConfig(AppConfig):
    """Connection and skills beside the device: offers, mediation places, first-use sessions, handover extras.

    Sits above claims (it reads claims and eligibility, never the other way round): claims' templates load its
    template tags, and its receivers answer the signals claims sends.
    """

    name = "reuse.tripod"
    label = "tripod"
    verbose_name = "Connexion et prise en main"

    def ready(self):
        from reuse.tripod import receivers  # noqa: F401  (connects the signal receivers)
