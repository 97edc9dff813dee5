"""Signals other apps listen to, so that donations never imports them."""

from django.dispatch import Signal

# Sent while a report page is drawn, with `devices` (the lot's, or every donated device) and `page` ("lot",
# "impact" or "public"); each receiver returns a list of sections, dicts with a "template" to include and the
# figures it shows. Only totals: nothing in a section may name a household.
report_sections = Signal()


def sections_for(*, devices, page: str) -> list[dict]:
    return [
        section
        for _receiver, answer in report_sections.send(sender=None, devices=devices, page=page)
        for section in answer or ()
    ]
