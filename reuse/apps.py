from django.apps import AppConfig
from django.core import checks
from django.utils.module_loading import autodiscover_modules

from reuse.deploy import check_production_settings, check_proxy_hops


class ReuseConfig(AppConfig):
    name = "reuse"
    verbose_name = "Réemploi (éligibilité, demandes, paiements)"

    def ready(self):
        # Every app's stored texts, so that any process (a worker, a command) writes out any code it reads.
        autodiscover_modules("texts")
        checks.register(check_production_settings, checks.Tags.security, deploy=True)
        checks.register(check_proxy_hops, checks.Tags.security, deploy=True)
