from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "reuse.claims"
    label = "claims"
    verbose_name = "Demandes et paiements"

    def ready(self):
        from reuse.claims import catalogue_cache, receivers  # noqa: F401  (connects the signal receivers)

        catalogue_cache.connect()
