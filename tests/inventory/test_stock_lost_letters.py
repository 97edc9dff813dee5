"""A workshop's stock sheet whose accents were lost in the values too: Windows PowerShell 5.1's Export-Csv.

tests/data/stock/powershell51_ascii_stock.csv is written as « [PSCustomObject]@{ 'Num\u00e9ro de s\u00e9rie' = …;
'Mod\u00e8le' = 'Ordinateur portable l\u00e9ger'; 'Accessoires' = 'C\u00e2ble secteur'; … } | Export-Csv stock.csv » writes it
in Windows PowerShell 5.1 (learn.microsoft.com, PowerShell 5.1 reference, Export-Csv: -Encoding defaults to ASCII,
a « #TYPE » first line unless -NoTypeInformation, every field quoted, CRLF). The .NET ASCIIEncoding it uses writes
« ? » for each character outside ASCII (learn.microsoft.com, ASCIIEncoding class: « characters that cannot be
encoded are replaced with a question mark »), in the headers and in the values.

The headers were read back already; the values were stored as written and nobody was told, whereas a donor's
manifest says which rows hold such values and how to export in UTF-8. The workshop now reads the same notice
(reuse.lost_letters.notice) on the page it sees after importing, and on the import page when the file is refused.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inventory.models import Device
from reuse.lost_letters import notice

pytestmark = pytest.mark.django_db

SAMPLE = (Path(__file__).parent.parent / "data" / "stock" / "powershell51_ascii_stock.csv").read_bytes()
UTF8 = "-Encoding UTF8"


def _import(client, data: bytes):
    upload = SimpleUploadedFile("stock.csv", data, content_type="text/csv")
    return client.post(reverse("inventory:import"), {"file": upload}, follow=True).content.decode()


def test_the_workshop_is_told_which_rows_hold_values_that_lost_their_accents(bench_client, workshop):
    page = _import(bench_client, SAMPLE)

    assert "4 appareil(s) créé(s)" in page
    # Kept as written (« l?ger » may be « léger » or « légèr »: nobody can tell for sure)…
    assert Device.objects.get(serial="5CG8123ABC").model == "Ordinateur portable l?ger"
    # … and the page says why, which rows, and how to export again with the accents.
    assert "accents" in page and UTF8 in page
    assert "lignes 4, 5" in page
    assert "Mod?le" in page


def test_the_notice_is_the_manifests_own(bench_client, workshop):
    """One rule and one message for both imports: the paragraphs the manifest's job page shows."""
    page = _import(bench_client, SAMPLE)
    headers = ["Num?ro de s?rie", "Mod?le", "M?moire vive (Go)", "Syst?me"]
    for paragraph in notice(headers=headers, rows=[4, 5], row_count=2):
        assert paragraph in page


def test_a_refused_file_says_it_too(bench_client, workshop):
    refused = SAMPLE.replace(b'"C02XK0ABJGH5","Ordinateur portable"', b'"C02XK0ABJGH5","Grille-pain"')

    page = _import(bench_client, refused)

    assert "rien n’a été importé" in page and not Device.objects.exists()
    assert UTF8 in page and "lignes 4, 5" in page


def test_a_sheet_exported_in_utf8_has_no_such_notice(bench_client, workshop):
    utf8 = SAMPLE.decode("ascii").replace("l?ger", "léger").replace("C?ble", "Câble").replace("?", "é")

    page = _import(bench_client, utf8.encode("utf-8-sig"))

    assert "4 appareil(s) créé(s)" in page and UTF8 not in page
    assert Device.objects.get(serial="7XK2LM2").accessories == "Câble secteur"


def test_the_workshops_own_tool_reads_it_from_the_api(bench_client, workshop):
    upload = SimpleUploadedFile("stock.csv", SAMPLE, content_type="text/csv")
    answer = bench_client.post("/api/v1/devices/import", {"file": upload})
    assert answer.status_code == 200 and answer.json()["created"] == 4
    said = " ".join(answer.json()["lost_letters"])
    assert "lignes 4, 5" in said and UTF8 in said
