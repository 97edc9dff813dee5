"""Admin home panels owned by the portal: lots waiting for a workshop, and stock per department.

Each panel shows only to people allowed to see its model, so Reviewers never see lots."""

from django.db.models import Count, Q
from wagtail.admin.ui.components import Component

from donations.models import Lot
from inventory.enums import DeviceState
from inventory.models import Device

IN_WORKSHOP = (DeviceState.RECEIVED, DeviceState.IN_REPAIR, DeviceState.READY)


class LotsAwaitingAssignmentPanel(Component):
    name = "lots_awaiting_assignment"
    template_name = "cms/admin/lots_awaiting_assignment.html"
    order = 110
    limit = 10

    def get_context_data(self, parent_context):
        lots = Lot.objects.awaiting_assignment().select_related("donor").order_by("created")
        return {"lots": lots[: self.limit], "total": lots.count()}


class StockByDepartmentPanel(Component):
    name = "stock_by_department"
    template_name = "cms/admin/stock_by_department.html"
    order = 120

    def get_context_data(self, parent_context):
        rows = (
            Device.objects.values("workshop__department")
            .annotate(
                in_workshop=Count("pk", filter=Q(state__in=IN_WORKSHOP)),
                listed=Count("pk", filter=Q(state=DeviceState.LISTED)),
                reserved=Count("pk", filter=Q(state=DeviceState.RESERVED)),
                handed_over=Count("pk", filter=Q(state=DeviceState.HANDED_OVER)),
            )
            .order_by("workshop__department")
        )
        return {
            "rows": [
                {
                    "department": row["workshop__department"],
                    "in_workshop": row["in_workshop"],
                    "listed": row["listed"],
                    "reserved": row["reserved"],
                    "handed_over": row["handed_over"],
                }
                for row in rows
            ]
        }


def panels_for(user) -> list[Component]:
    panels = []
    if user.has_perm("donations.view_lot"):
        panels.append(LotsAwaitingAssignmentPanel())
    if user.has_perm("inventory.view_device"):
        panels.append(StockByDepartmentPanel())
    return panels
