"""The issued tax receipt (cerfa 16216) as a PDF the donor's accountant files."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from donations.models import ReceiptValueCap, TaxReceipt
from tests.documents import pdf_text
from tests.factories.donations import LotFactory, LotItemFactory, donor_with_member
from tests.factories.inventory import DeviceFactory, workshop_with_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot(client):
    """A received lot worth 1 234,56 € at net book value, given to a workshop that may issue receipts."""
    workshop, _ = workshop_with_member(may_issue_tax_receipts=True)
    donor, user = donor_with_member(name="Société Générale d’Équipement & Cie")
    lot = LotFactory(
        donor=donor, created_by=user, workshop=workshop, received=True, title="Parc 2019 <Bureaux>"
    )
    # Two laptops received; staff raised the laptop cap above their declared values.
    ReceiptValueCap.objects.update_or_create(device_type="laptop", defaults={"cap_cents": 200000})
    for value in (100000, 23456):
        item = LotItemFactory(lot=lot, net_book_value_cents=value)
        DeviceFactory(lot=lot, workshop=workshop, serial=item.serial)
    client.force_login(user)
    return lot


@pytest.fixture
def issued(client, lot):
    client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
    return TaxReceipt.objects.get(lot=lot)


def test_the_donor_downloads_the_issued_receipt_as_a_pdf(client, lot, issued):
    response = client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="recu-fiscal-{issued.number}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert issued.number in text
    assert "1 234,56 €" in text
    assert "mille deux cent trente-quatre euros et cinquante-six centimes" in text
    assert "238 bis" in text and "16216" in text
    # Donor and beneficiary identities, with their accents and apostrophes intact.
    assert "Société Générale d’Équipement & Cie" in text and "SAS" in text and lot.donor.siret[:9] in text
    assert lot.workshop.name in text and lot.workshop.siret in text
    assert "Réemploi solidaire d’équipements numériques" in text
    # The cerfa's box for the workshop's recorded status (the factory's: an association of general interest).
    assert "Œuvre ou organisme d’intérêt général" in text
    assert (
        "Don en nature : 2 équipement(s) informatique(s) du lot « Parc 2019 <Bureaux> » réceptionné(s)"
        in text
    )
    assert timezone.localtime(issued.created).strftime("%d/%m/%Y") in text
    assert "signataire" in text


def test_the_pdf_is_a4_with_a_title_and_an_embedded_font(client, lot, issued):
    reader = PdfReader(io.BytesIO(client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").content))

    assert reader.metadata.title == f"Reçu fiscal n° {issued.number}"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    # Embedded TrueType fonts (a FontFile2 each), not the reader's own Helvetica which lacks "€" in some readers.
    assert fonts and all("/FontFile2" in font.get_object()["/FontDescriptor"] for font in fonts.values())


def test_two_downloads_are_identical_and_later_changes_do_not_alter_the_receipt(client, lot, issued):
    first = client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").content
    lot.items.update(net_book_value_cents=999999)
    lot.workshop.name = "Un autre nom"
    lot.workshop.save()

    second = client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").content

    assert second == first
    assert TaxReceipt.objects.filter(lot=lot).count() == 1
    assert TaxReceipt.objects.get(lot=lot).amount_cents == 123456


def test_a_member_of_another_donor_organisation_gets_404(client, lot, issued):
    _, stranger = donor_with_member()
    client.force_login(stranger)
    assert client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").status_code == 404


def test_404_before_the_receipt_is_issued_and_the_download_issues_nothing(client, lot):
    assert client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").status_code == 404
    assert not TaxReceipt.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, lot, issued):
    client.logout()
    response = client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_receipt_page_links_to_the_pdf_once_issued(client, lot):
    url = f"/dons/lots/{lot.pk}/recu-fiscal.pdf"
    assert url not in client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
    page = client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    assert f'href="{url}"' in page and "Télécharger le reçu (PDF)" in page


def test_the_receipt_stays_french_when_the_interface_is_in_english(client, lot):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
    receipt = TaxReceipt.objects.get(lot=lot)
    assert receipt.content["form"] == "Don en nature (mécénat en nature)"

    text = pdf_text(client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").content)

    assert "Bénéficiaire des versements" in text and "Montant en toutes lettres" in text
    assert "Beneficiary" not in text, text


def test_the_receipt_page_writes_amounts_in_the_readers_language_and_the_pdf_in_french(client, lot):
    page = f"/dons/lots/{lot.pk}/recu-fiscal/"
    # The locale middleware leaves the last request's language active: the override puts the default back.
    with translation.override("fr"):
        french = client.get(page, headers={"accept-language": "fr"}).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(page).content.decode()
        client.post(page, {"legal_form": "SAS"})
        issued_in_english = client.get(page).content.decode()
        text = pdf_text(client.get(f"/dons/lots/{lot.pk}/recu-fiscal.pdf").content)
    assert "1\u202f234,56\u00a0€" in french and "€1,234.56" not in french
    assert "€1,234.56" in english and "234,56" not in english
    assert "€1,234.56" in issued_in_english
    assert "1 234,56 €" in text and "€1,234.56" not in text


@pytest.mark.parametrize(
    ("language", "note_words", "amount"),
    [
        ("en", ["What this receipt says", "French tax document", "article 238 bis"], "€1,234.56"),
        ("fr", ["Ce que dit ce reçu", "document fiscal français", "article 238 bis"], "1\u202f234,56\u00a0€"),
    ],
)
def test_the_receipt_itself_is_french_on_its_page_with_a_note_in_the_readers_language(
    client, lot, language, note_words, amount
):
    """The receipt is a French legal document: its text is the PDF's, in French, whatever the reader's language;
    the note that says what it is and what to do with it is in the reader's language."""
    with translation.override("fr"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        client.post(f"/dons/lots/{lot.pk}/recu-fiscal/", {"legal_form": "SAS"})
        page = client.get(f"/dons/lots/{lot.pk}/recu-fiscal/").content.decode()
    note = page.split("data-receipt-note>")[1].split("</section>")[0]
    receipt = page.split('<article class="receipt" lang="fr"')[1].split("</article>")[0]

    assert all(word in note for word in note_words), note
    assert amount in note and lot.workshop.name in note
    for french in ("Bénéficiaire des versements", "Nature du don", "Le bénéficiaire certifie sur l’honneur"):
        assert french in receipt
    assert "Don en nature (mécénat en nature)" in receipt and "1\u00a0234,56\u00a0€" in receipt
    assert "Beneficiary" not in receipt and "€1,234.56" not in receipt
