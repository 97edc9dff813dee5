from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = "Stock des ateliers"

    def ready(self):
        from inventory import counts, filters, receivers
        from inventory.donor_reports import stored

        filters.connect_lot_choices()
        receivers.connect_programme_changes()
        stored.connect()
        post_migrate.connect(counts.reinstall_if_dropped, sender=self)
