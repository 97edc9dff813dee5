"""The Wagtail admin's views that act through a service: a confirmation page for one action on one object
(approve an organisation, unlock a handover…), GET shows what will happen and POST does it; and an edit view whose
save is the service's. Either way a DomainError the service raises is shown to staff, never a server error."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from reuse.views import domain_errors


class ConfirmObjectActionView(
    PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    permission_required = "change"
    index_url_name = ""  # the viewset's listing, e.g. "organisations:index"
    index_label = ""
    action_label = ""
    object_context_name = "object"
    # Fields staff fill in before the action (includes/admin_confirm_form.html's `fields`): the POST is then done
    # by act_with_form, and what the service refuses is shown on the form, on `form_error_field` or above it.
    form_class = None
    form_error_field = None

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
        if self.form_class is not None:
            context["form"] = kwargs.get("form") or self.form_class()
        return context

    def post(self, request, *args, **kwargs):
        if self.form_class is not None:
            return self.post_form(request)
        with domain_errors(request) as attempt:
            done = self.act(request)
        if attempt.ok:
            return self.back_to_listing(request, done)
        return redirect(self.index_url_name)

    def post_form(self, request):
        form = self.form_class(request.POST)
        if form.is_valid():
            with domain_errors(form=form, field=self.form_error_field) as attempt:
                response = self.act_with_form(request, form)
            if attempt.ok:
                return response
        return self.render_to_response(self.get_context_data(form=form))

    def act_with_form(self, request, form):
        """With `form_class`: do the action with the form's cleaned data; return the response to send."""
        raise NotImplementedError

    def back_to_listing(self, request, done: str):
        """Tell staff what the action did, on the listing it started from."""
        messages.success(request, done)
        return redirect(self.index_url_name)

    def act(self, request) -> str:
        """Do the action on `self.object` through its service; return what to tell staff it did."""
        raise NotImplementedError

    def posted_reason(self, request) -> str:
        """The reason staff gave in the confirmation form (includes/admin_confirm_form.html with `reason_label`),
        without the spaces around it and at most the 300 characters its field takes."""
        return (request.POST.get("reason") or "").strip()[:300]


class ServiceEditView(generic.EditView):
    """An edit view whose save is a service's, so that staff corrections keep the rules the site and the API
    keep; what the service refuses is shown on the form (on `error_field`, or above it)."""

    error_field = None

    def save_with_service(self, form):
        """Save the form's changes through the service; return the saved object."""
        raise NotImplementedError

    def changes(self, form) -> dict:
        return {name: form.cleaned_data[name] for name in form.changed_data}

    def form_valid(self, form):
        self.form = form
        with domain_errors(form=form, field=self.error_field) as attempt:
            self.object = self.save_with_service(form)
        if not attempt.ok:
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()
