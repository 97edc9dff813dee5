"""Staff groups. The groups are created by a migration; their permissions are synced after every migrate,
so that models added later by any app are covered (a post_migrate handler, see CmsConfig.ready)."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

COORDINATORS = "Coordinators"
REVIEWERS = "Reviewers"
# Reviewers work the eligibility review queue only: they examine documents and read the decisions, possible
# duplicates and programmes (evidence accepted, ceilings) they judge by; they change no programme (its prices,
# caps, ceilings), vet no association nor referrer, and read no audit journal. See README, "Staff permissions".
REVIEWER_PERMISSIONS = {
    "eligibility": (
        "review_eligibilitydocument",
        "view_eligibilitydocument",
        "view_eligibilitydecision",
        "view_duplicateflag",
    ),
    "programmes": ("view_programme", "view_programmeprice"),
}
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "delete_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "delete_document", "choose_document"),
}


def admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def sync_group_permissions() -> tuple[Group, Group]:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    coordinators, _ = Group.objects.get_or_create(name=COORDINATORS)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)

    coordinators.permissions.set(Permission.objects.all())
    reviewers.permissions.set(
        [
            admin_access(),
            *(
                permission
                for app_label, codenames in REVIEWER_PERMISSIONS.items()
                for permission in Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            ),
        ]
    )

    root = Page.get_first_root_node()
    if root is not None:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=coordinators, page=root, permission=permission)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=coordinators, collection=collection, permission=permission
                )
    return coordinators, reviewers


def on_post_migrate(sender, **kwargs):
    # Every app's permissions exist only once the last app with models has had its post_migrate.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    sync_group_permissions()
