from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = "Stock des ateliers"

    def ready(self):
        from inventory import filters, receivers
        from inventory.donor_reports import stored

        filters.connect_lot_choices()
        receivers.connect_programme_changes()
        stored.connect()
        receivers.connect_schema_changes(self)
