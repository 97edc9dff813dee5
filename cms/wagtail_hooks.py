"""Portal admin: dashboard panels, and the rich text features offered to editors."""

from wagtail import hooks

from cms.dashboard import panels_for


@hooks.register("construct_homepage_panels")
def add_portal_panels(request, panels):
    panels.extend(panels_for(request.user))
