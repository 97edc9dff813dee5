"""A file whose accents were lost on the way: Windows PowerShell 5.1's Export-Csv writes ASCII by default.

- powershell51_ascii_french_headers.csv: « [PSCustomObject]@{ 'Mod\u00e8le' = …; 'Num\u00e9ro de s\u00e9rie' = …; 'M\u00e9moire (Go)' = … }
  | Export-Csv parc.csv » in Windows PowerShell 5.1 (learn.microsoft.com, PowerShell 5.1 reference, Export-Csv:
  -Encoding defaults to ASCII, a « #TYPE » first line unless -NoTypeInformation, every field quoted). The .NET
  ASCIIEncoding it uses writes « ? » for each character outside ASCII (learn.microsoft.com, ASCIIEncoding class:
  « characters that cannot be encoded are replaced with a question mark »), in the headers and in the values.
- Excel for Mac's « CSV (Macintosh) » format writes Mac OS Roman (support.microsoft.com, « Import or export
  text (.txt or .csv) files »: the Macintosh CSV uses the Mac character set).
"""

import pytest

from donations.models import LotItem
from tests.donations.export_helpers import items, job_of, sample

pytestmark = pytest.mark.django_db


def test_headers_whose_accents_became_question_marks_are_read_and_the_donor_is_told(donor_client, upload):
    job = job_of(
        upload(donor_client, donor_client.lot, sample("powershell51_ascii_french_headers.csv"), "parc.csv")
    )

    assert (job.state, job.created_rows, job.needs) == ("done", 3, ""), job.message
    devices = items(donor_client.lot)
    # « Num?ro de s?rie », « M?moire (Go) », « Syst?me d'exploitation », « Ann?e d'achat », « ?tat ».
    latitude = devices["7XK2LM2"]
    assert (latitude.model, latitude.ram_gb, latitude.year) == ("Latitude 5490", 8, 2019)
    assert latitude.os == "Microsoft Windows 10 Professionnel"
    # A value that lost its accents is kept as written (nobody can tell « us? » from « usé » for sure)…
    assert devices["5CG8123ABC"].condition == "Tr?s bon, clavier us?"
    page = donor_client.get(f"/dons/imports/{job.pk}/").content.decode()
    # … and the donor is told why, where, and how to export again with the accents.
    assert "accents" in page and "-Encoding UTF8" in page
    assert "M?moire (Go)" in page
    assert "lignes 4, 5" in page


def test_a_file_without_lost_accents_has_no_such_notice(donor_client, upload):
    content = sample("powershell51_ascii_french_headers.csv").decode("ascii")
    fixed = content.replace("?", "e")
    job = job_of(upload(donor_client, donor_client.lot, fixed.encode("ascii"), "parc.csv"))

    assert job.state == "done", job.message
    assert "-Encoding UTF8" not in donor_client.get(f"/dons/imports/{job.pk}/").content.decode()


def test_excel_for_mac_csv_macintosh_is_read_in_mac_roman(donor_client, upload):
    text = (
        "Numéro de série;Marque;Modèle;Type;Mémoire (Go);État\r"
        'C02XK0ABJGH5;Apple;MacBook Air 13";Ordinateur portable;8;Très bon état, écran rayé\r'
        'C02YL1BCJHD2;Apple;iMac 21,5";Ordinateur fixe;16;Première génération\r'
    )

    job = job_of(upload(donor_client, donor_client.lot, text.encode("mac_roman"), "parc.csv"))

    assert (job.state, job.created_rows) == ("done", 2), job.message
    assert items(donor_client.lot)["C02YL1BCJHD2"].condition == "Première génération"
    assert LotItem.objects.get(serial="C02XK0ABJGH5").condition == "Très bon état, écran rayé"


def test_a_windows_1252_file_with_semicolons_keeps_its_accents(donor_client, upload):
    text = "Numéro de série;Marque;Modèle;Type;État\r\nPF2XYZ01;Lenovo;ThinkPad E14;Portable;Rayé, œuvre d’art\r\n"

    job = job_of(upload(donor_client, donor_client.lot, text.encode("cp1252"), "parc.csv"))

    assert job.state == "done", job.message
    assert items(donor_client.lot)["PF2XYZ01"].condition == "Rayé, œuvre d’art"
