from django.apps import AppConfig


class ReuseConfig(AppConfig):
    name = "reuse"
    verbose_name = "Réemploi (éligibilité, demandes, paiements)"
