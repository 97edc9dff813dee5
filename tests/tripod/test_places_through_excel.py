"""The national file of mediation places opened in Excel and saved as « CSV (séparateur : point-virgule) »
(Windows-1252, `;`, CRLF): Excel reads « 01000 » as the number 1000 and writes it back without its zero
(Microsoft's « Keeping leading zeros and large numbers »), so every place of Ain to Ariège (01 to 09) reaches
Rebond with a four-digit postcode. The row is refused, as a postcode cannot be guessed, but the staff member is
told what happened and how to get the file whole."""

import csv
import io

import pytest

from reuse.errors import render_rows
from reuse.tripod import lamednum
from reuse.tripod.models import MediationPlace
from tests.tripod.test_places import HEADER, row

pytestmark = pytest.mark.django_db


def saved_by_excel(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252")


def test_a_postcode_excel_stripped_of_its_zero_is_refused_saying_so():
    data = saved_by_excel([row(1), row(2, code_postal="1000", commune="Bourg-en-Bresse")])

    record = lamednum.import_places(data, filename="lieux.csv", source="command")

    [error] = render_rows(record.errors)
    assert error["row"] == 3
    assert "Excel" in error["message"] and "01000" in error["message"]
    assert list(MediationPlace.objects.values_list("postcode", flat=True)) == ["93200"]
