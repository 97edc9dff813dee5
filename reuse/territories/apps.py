from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "reuse.territories"
    label = "territories"
    verbose_name = "Territoires fragiles"

    def ready(self):
        from reuse.territories import receivers  # noqa: F401  (waitlist points, territory of handed-over devices)
