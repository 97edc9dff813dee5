"""The Wagtail admin's spreadsheet exports follow Rebond's CSV rule (`reuse.csvfiles.neutralise`).

Wagtail's reports (Site history, Locked pages, Aging pages, workflows), form submissions and any admin listing
given `list_export` write their CSV through `SpreadsheetExportMixin`, which writes each text as it is: an object
named by whoever created it (an organisation a donor registered as « =HYPERLINK(…) », a page title) is run as a
formula by the spreadsheet of the staff member who opens the export. Its XLSX already stores such a text as text.
`connect` wraps the one method every CSV cell goes through, so that each of those exports, Wagtail's and ours to
come, neutralises it the way our own exports do.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from reuse.csvfiles import neutralise

_WAGTAIL_PREPROCESS = SpreadsheetExportMixin.preprocess_field_value


def _neutralised(self, field, value, export_format):
    cell = _WAGTAIL_PREPROCESS(self, field, value, export_format)
    return neutralise(cell) if export_format == self.FORMAT_CSV else cell


def connect() -> None:
    SpreadsheetExportMixin.preprocess_field_value = _neutralised
