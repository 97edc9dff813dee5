"""A confirmation page in the Wagtail admin for one action on one object (approve an organisation, unlock a
handover…): GET shows what will happen, POST (written by the subclass) does it through a service."""

from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin


class ConfirmObjectActionView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    permission_required = "change"
    index_url_name = ""  # the viewset's listing, e.g. "organisations:index"
    index_label = ""
    action_label = ""
    object_context_name = "object"

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": self.index_label},
            {"url": "", "label": self.action_label},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Wagtail's slim header reads these; the project's templates fail on unknown variables.
        context.update(
            side_panels=None, history_url=None, index_results_url=None, search_form=None, filters=None
        )
        context.update({self.object_context_name: self.object, "index_url": reverse(self.index_url_name)})
        return context
