"""Phone numbers and names as people overseas and elsewhere write them.

Numbers: the French numbering plan (ARCEP, décision n° 2018-0881, « plan de numérotation ») gives the overseas
départements their own ten-digit numbers inside the French plan (0262/0692/0693 La Réunion, 0269/0639 Mayotte,
0590/0690 Guadeloupe, 0594/0694 Guyane, 0596/0696 Martinique), dialled from abroad with their own country codes
(+262, +590, +594, +596; Mayotte shares +262 since 2007, +269 is the Comoros). A number is typed with the
hyphens a word processor or a phone's contact card puts in (U+2011, U+2013) or the digits of an Arabic keyboard
(« ٠٦٩٢… ») or a Japanese/Chinese input method (fullwidth « ０６９２… »).

Names: letters that Unicode does not decompose into a base letter and an accent (« œ » in « Lœuillet », « đ » in
Vietnamese « Đặng », « ø », « ł », « ß ») are still found when typed plainly; a person with a single name (no
first name, « sans prénom » in French civil records) can be registered by every form and the API.
"""

import pytest
from django.core.exceptions import ValidationError

from reuse.accounts.validators import normalise_phone
from reuse.names import normalise_name


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("0692 12 34 56", "06 92 12 34 56"),  # a Réunion mobile, as written there
        ("+262 692 12 34 56", "06 92 12 34 56"),
        ("+262 269 61 23 45", "02 69 61 23 45"),  # a Mayotte landline, dialled from abroad
        ("0639 12 34 56", "06 39 12 34 56"),  # a Mayotte mobile
        ("+590 690 12 34 56", "06 90 12 34 56"),
        ("+594 694 12 34 56", "06 94 12 34 56"),
        ("+596 696 12 34 56", "06 96 12 34 56"),
        ("06\u201192\u201112\u201134\u201156", "06 92 12 34 56"),  # non-breaking hyphens of a contact card
        ("06–92–12–34–56", "06 92 12 34 56"),  # en dashes put by a word processor
        ("٠٦٩٢١٢٣٤٥٦", "06 92 12 34 56"),  # Arabic-Indic digits
        ("۰۶۹۲۱۲۳۴۵۶", "06 92 12 34 56"),  # Persian digits
        ("０６９２ １２ ３４ ５６", "06 92 12 34 56"),  # fullwidth digits of an input method
        ("＋２６２ ６９２ １２ ３４ ５６", "06 92 12 34 56"),
        ("+508 41 23 45", "+508412345"),  # Saint-Pierre-et-Miquelon has its own six-digit plan
        ("+269 773 12 34", "+2697731234"),  # the Comoros, not Mayotte: a foreign number
    ],
)
def test_overseas_numbers_as_people_type_them_are_kept_in_the_one_form(typed, stored):
    assert normalise_phone(typed) == stored


def test_a_saint_pierre_number_typed_without_its_code_says_how_to_type_it():
    with pytest.raises(ValidationError) as refused:
        normalise_phone("41 23 45")
    assert "+508" in refused.value.messages[0]


@pytest.mark.parametrize(
    "written,typed",
    [
        ("Lœuillet", "loeuillet"),
        ("LŒUILLET", "loeuillet"),
        ("Đặng Thị Ngọc", "dang thi ngoc"),
        ("Nguyễn", "nguyen"),
        ("Søren Kierkegård", "soren kierkegard"),
        ("Łukasz Wałęsa", "lukasz walesa"),
        ("Straße", "strasse"),
        ("Ærø", "aero"),
        ("N’Diaye", "ndiaye"),
        ("N'DIAYE", "n diaye"),
        ("Jean-Baptiste de La Tour d’Auvergne", "jean baptiste de la tour dauvergne"),
    ],
)
def test_letters_without_a_decomposition_are_found_typed_plainly(written, typed):
    assert normalise_name(written) == normalise_name(typed)


def test_names_in_arabic_and_other_scripts_keep_their_letters():
    assert normalise_name("محمد") == "محمد"
    assert normalise_name("Иван") != normalise_name("Ivan")
