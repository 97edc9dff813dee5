"""The base of every admin viewset of the project: listings and inspect pages show values in the reader's
language, never a raw True/False nor an amount in cents; an object's actions (approve, unlock…) are declared
once and give the listing's button, the confirmation page and its URL; menu groups, read-only policies, admin
pages and their menu links are registered the same way by every app.

Each app's wagtail_hooks.py declares its listings as rows (`listing`) built on `ModelViewSet` from here instead
of Wagtail's, and writes a class only where a listing adds behaviour.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet as WagtailModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views

from reuse.money import Cents, format_euros
from reuse.names import normalise_name


def yes_no(value) -> str:
    if value is None:
        return "—"
    return str(_("oui") if value else _("non"))


class YesNoColumn(Column):
    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class EurosColumn(Column):
    def get_value(self, instance):
        return format_euros(super().get_value(instance))


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a method or a related lookup: Wagtail's own column fits
        return None


@dataclass(frozen=True)
class ObjectAction:
    """One action on one object: a button in the listing's "more" menu where `shown(instance)` holds and the
    user has the view's permission, leading to `view_class` (a ConfirmObjectActionView) at `<name>/<pk>/`."""

    name: str
    label: str
    icon: str
    view_class: type
    shown: Callable[[Any], bool] = lambda instance: True
    priority: int | None = None
    # The confirmation page's breadcrumb, where it says less than the button ("Émettre" for "Émettre un carnet").
    page_label: str | None = None

    @property
    def route(self) -> str:
        return f"{self.name.replace('_', '-')}/<int:pk>/"


class ReadableColumns:
    """A listing's columns in the reader's language: an amount in cents (CentsField) in euros, a yes/no as « oui » or
    « non ». Mixed into our IndexView, and into a snippet's (`SnippetIndexView`) where an app lists snippets."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        field = _model_field(self.model, field_name)
        if column_class is Column and isinstance(field, Cents):
            column_class = EurosColumn
        elif column_class is Column and isinstance(field, models.BooleanField):
            column_class = YesNoColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)


def related_columns(model, list_display) -> list[str]:
    """The relations a listing's columns read (a foreign key named as a column, a Column whose accessor is a
    path such as "lot.donor"), as select_related paths: each row's lot, donor or workshop comes with the rows
    instead of one query per row. A column computed by a function says what it reads in `list_select_related`."""
    paths = []
    for column in list_display:
        name = column if isinstance(column, str) else getattr(column, "accessor", None)
        if not isinstance(name, str):
            continue
        path, current = [], model
        for part in name.replace("__", ".").split("."):
            field = _model_field(current, part)
            if field is None or not (field.many_to_one or field.one_to_one):
                break
            path.append(part)
            current = field.related_model
        if path:
            paths.append("__".join(path))
    return paths


class RowsWithTheirRelations:
    """A listing whose queries do not grow with its rows: what its columns read comes with the rows."""

    list_select_related = ()  # relations read by computed columns, given by the viewset

    def get_base_queryset(self):
        related = [*related_columns(self.model, self.list_display), *self.list_select_related]
        return super().get_base_queryset().select_related(*related)


class PeopleSearch:
    """A listing whose `search_fields` name a person's User.search_name (`beneficiary__search_name`): a row is
    found when every word typed is part of the person's folded names (reuse.names: « helene d'almeida » finds
    « Hélène D’Almeida »), or, as Wagtail does, when the query is part of another field."""

    def search_queryset(self, queryset):
        people = [field for field in self.search_fields or [] if field.endswith("search_name")]
        words = [normalise_name(word) for word in self.search_query.split()] if self.is_searching else []
        if not people or not any(words):
            return super().search_queryset(queryset)
        query = Q()
        for field in self.search_fields:
            if field in people:
                query |= Q(*(Q(**{f"{field}__contains": word}) for word in words if word))
            else:
                query |= Q(**{f"{field}__icontains": self.search_query})
        return queryset.filter(query)


class SnippetIndexView(PeopleSearch, RowsWithTheirRelations, ReadableColumns, snippet_views.IndexView):
    pass


class IndexView(PeopleSearch, RowsWithTheirRelations, ReadableColumns, generic.IndexView):
    object_actions = ()  # (ObjectAction, URL name) pairs, given by the viewset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for action, url_name in self.object_actions:
            if action.shown(instance) and self.user_has_permission(action.view_class.permission_required):
                priority = {} if action.priority is None else {"priority": action.priority}
                url = reverse(url_name, args=[instance.pk])
                buttons.append(MenuItem(action.label, url=url, icon_name=action.icon, **priority))
        return buttons


class ApproveColumn(Column):
    """A listing cell whose template links to the row's approval page (`url_name`) while it is pending."""

    url_name = ""

    def is_pending(self, instance) -> bool:
        raise NotImplementedError

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        pending = self.is_pending(instance)
        context["approve_url"] = reverse(self.url_name, args=[instance.pk]) if pending else ""
        return context


class InspectView(generic.InspectView):
    def get_field_display_value(self, field_name, field):
        if isinstance(field, Cents):
            return format_euros(getattr(self.object, field_name))
        if isinstance(field, models.BooleanField):
            return yes_no(getattr(self.object, field_name))
        return super().get_field_display_value(field_name, field)


def is_history(obj) -> bool:
    """A row that is history itself though nothing points to it: its model says so with `is_history()` (a redeemed
    voucher, which its claim and its funder's statement count)."""
    return bool(getattr(obj, "is_history", None) and obj.is_history())


def still_referenced(objects) -> list:
    """The objects a delete would refuse: rows that other rows still point to through a protected or restricted
    link (a user who declared a lot or signed a mandate, a programme with claims), and rows that are history
    themselves (is_history). Asked before deleting, so that any delete screen (ours, Wagtail's users, a bulk
    action) can say so instead of failing."""
    kept = []
    for obj in objects:
        if is_history(obj):
            kept.append(obj)
            continue
        collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
        try:
            collector.collect([obj])
        except (ProtectedError, RestrictedError):
            kept.append(obj)
    return kept


def refuse_delete(request, objects, next_url: str):
    """Tell staff which rows stay and why, and send them back."""
    messages.error(
        request,
        _("%(objects)s ne peut pas être supprimé : d’autres données y renvoient (historique, demandes…).")
        % {"objects": ", ".join(_("« %(object)s »") % {"object": obj} for obj in objects)},
    )
    return redirect(next_url)


class DeleteView(generic.DeleteView):
    """A row other rows still point to (a programme with claims, an organisation with lots) or that is history
    itself (a redeemed voucher) stays, and staff are told why instead of meeting a server error."""

    def form_valid(self, form):
        if (self.usage and self.usage.is_protected) or is_history(self.object):
            return refuse_delete(self.request, [self.object], self.get_success_url())
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError):
            return refuse_delete(self.request, [self.object], self.get_success_url())


class ModelViewSet(WagtailModelViewSet):
    index_view_class = IndexView
    inspect_view_class = InspectView
    delete_view_class = DeleteView
    object_actions: tuple[ObjectAction, ...] = ()
    # Relations the listing's computed columns read (a function's), beside those its columns name.
    list_select_related: tuple[str, ...] = ()

    @cached_property
    def url_namespace(self):
        """A nested prefix names its URLs after itself ("claims/voucher" → "claims_voucher"); a plain one keeps
        Wagtail's namespace, the viewset's name."""
        if "/" in self.url_prefix:
            return self.url_prefix.replace("/", "_").replace("-", "_")
        return self.name

    def get_index_view_kwargs(self, **kwargs):
        actions = [(action, self.get_url_name(action.name)) for action in self.object_actions]
        return super().get_index_view_kwargs(
            object_actions=actions, list_select_related=self.list_select_related, **kwargs
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(action.route, self._action_view(action), name=action.name) for action in self.object_actions
        ]

    def _action_view(self, action):
        return self.construct_view(
            action.view_class, index_label=self.menu_label, action_label=action.page_label or action.label
        )


def listing(where, *, base=None, **declared) -> type[ModelViewSet]:
    """One admin listing declared as a row of a table: `where` is (model, url prefix, icon, menu label), and
    `declared` the rest of its viewset attributes (list_display, list_filter, form_fields, object_actions…).
    A prefix without "/" is also the viewset's name, hence its URL namespace (see ModelViewSet.url_namespace).
    Returns the viewset class, named after the model, built on `base` (this module's ModelViewSet by default)."""
    model, url_prefix, icon, menu_label = where
    attrs = {"model": model, "url_prefix": url_prefix, "icon": icon, "menu_label": menu_label, **declared}
    if "/" not in url_prefix:
        attrs["name"] = url_prefix
    return type(f"{model.__name__}ViewSet", (base or ModelViewSet,), attrs)


def register_group(menu_label, menu_icon, *items, menu_order=None, group_class=ViewSetGroup):
    """One menu entry grouping `items` (viewset classes or instances), registered with Wagtail."""
    attrs = {"menu_label": menu_label, "menu_icon": menu_icon, "items": items}
    if menu_order is not None:
        attrs["menu_order"] = menu_order
    hooks.register("register_admin_viewset", type("Group", (group_class,), attrs))


def register_viewsets(*items):
    """Viewsets (classes or instances) registered with Wagtail outside any menu group."""
    hooks.register(
        "register_admin_viewset", lambda: [item() if isinstance(item, type) else item for item in items]
    )


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Rows the services write (journals, proofs): the admin lists and inspects them, never adds, changes or
    deletes them. Who may read them is the model permission's answer."""

    refused = ("add", "change", "delete")

    def user_has_permission(self, user, action):
        if action in self.refused:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class SuperuserWritesPolicy(ReadOnlyPolicy):
    """Rows that give rights (staff groups and their permissions): only superusers add, change or delete them, so
    that no one widens their own group; others read them as their permission says."""

    def user_has_permission(self, user, action):
        if action in self.refused:
            return bool(user.is_active and user.is_superuser)
        return super().user_has_permission(user, action)


class NoAddDeletePolicy(ReadOnlyPolicy):
    """Rows others create and whose history must stay: staff list and change them, never add nor delete."""

    refused = ("add", "delete")


def register_policy(policy_class, *models, exact_class=False):
    for model in models:
        register_permission_policy(model, policy_class(model), exact_class=exact_class)


def register_admin_urls(prefix, namespace, urlpatterns):
    """Admin pages outside any viewset, under /admin/<prefix> and the URL namespace `namespace`."""
    hooks.register(
        "register_admin_urls", lambda: [path(prefix, include((urlpatterns, namespace), namespace=namespace))]
    )


def register_menu_link(label, url_name, *, icon_name, order, shown):
    """A main-menu link to an admin page, shown to the users `shown(user)` lets in."""

    class LinkItem(AdminMenuItem):
        def is_shown(self, request):
            return shown(request.user)

    hooks.register(
        "register_admin_menu_item",
        lambda: LinkItem(label, reverse(url_name), icon_name=icon_name, order=order),
    )
