from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Portail"

    def ready(self):
        from cms.groups import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="cms.sync_group_permissions")

        from cms import chrome, exports

        chrome.connect()
        exports.connect()
