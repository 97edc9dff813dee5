"""Portal admin: dashboard panels, and the rich text features offered to editors."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from cms.dashboard import panels_for


@hooks.register("construct_homepage_panels")
def add_portal_panels(request, panels):
    panels.extend(panels_for(request.user))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/css/admin.css"))
