from django.apps import AppConfig


class StructuresConfig(AppConfig):
    name = "reuse.structures"
    label = "structures"
    verbose_name = "Petites structures et chèques équipement"

    def ready(self):
        from reuse.structures import receivers  # noqa: F401  (equipment cheque rules at redemption)
