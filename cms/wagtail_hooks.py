"""Portal admin: dashboard panels, the admin's style sheet, and how rich text's page links are drawn."""

from django.http import Http404
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from cms.dashboard import panels_for
from cms.page_links import LivePageLinkHandler, WeighedDocumentLinkHandler
from reuse.models import QuarantinedFile


@hooks.register("construct_homepage_panels")
def add_portal_panels(request, panels):
    panels.extend(panels_for(request.user))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/css/admin.css"))


@hooks.register("register_rich_text_features", order=100)
def portal_link_types(features):
    """After Wagtail's own registrations (order 0), which they replace: see cms.page_links."""
    features.register_link_type(LivePageLinkHandler)
    features.register_link_type(WeighedDocumentLinkHandler)


@hooks.register("before_serve_document")
def serve_no_quarantined_document(document, request):
    """A published PDF found active after it was kept (`manage.py quarantine_active_pdfs`) is served no more."""
    if QuarantinedFile.objects.holds(document.file):
        raise Http404
