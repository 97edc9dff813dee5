from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "reuse.aftercare"
    label = "aftercare"
    verbose_name = "Après la remise"

    def ready(self):
        from reuse.aftercare import receivers  # noqa: F401  (guards on device moves, receipt rows, follow-ups)
