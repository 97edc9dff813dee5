from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "reuse.claims"
    label = "claims"
    verbose_name = "Demandes et paiements"
