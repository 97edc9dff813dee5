from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "reuse.programmes"
    label = "programmes"
    verbose_name = "Programmes et territoires"

    def ready(self):
        from reuse.programmes import services

        services.connect()
