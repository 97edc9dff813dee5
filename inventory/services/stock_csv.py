"""The stock as a spreadsheet: the rows of the export, and the error of an import refused as a whole."""

from django.utils.translation import gettext as _

from inventory import stock_columns
from reuse.csvfiles import neutralise
from reuse.errors import InvalidInput


class RowErrors(InvalidInput):
    """A file refused as a whole, with the errors of each row."""

    def __init__(self, errors: list[dict], *, lost_letters: list[str] = ()):
        self.errors = errors
        # The notice of values whose accents were lost (reuse.lost_letters.notice): one cause of the errors.
        self.lost_letters = list(lost_letters)
        super().__init__(
            _("Le fichier contient %(count)s erreur(s) : rien n’a été importé.") % {"count": len(errors)}
        )

    def extra(self) -> dict:
        return {
            "errors": [{**error, "message": str(error["message"])} for error in self.errors],
            "lost_letters": self.lost_letters,
        }


def export_rows(devices):
    """The stock as CSV rows in the reader's language: headers, types, states and prices in euros."""
    yield stock_columns.header_row()
    for device in devices.select_related("lot").iterator(chunk_size=2000):
        yield [
            neutralise("" if value is None else str(value))
            for value in (stock_columns.export_value(column, device) for column in stock_columns.COLUMNS)
        ]
