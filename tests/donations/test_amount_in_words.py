"""The receipt's amount in words (cerfa 16216*02: « montant en chiffres et en lettres »), in the traditional French
spelling the Dictionnaire de l'Académie française (9th edition) writes: hyphens between the numerals below one
hundred except around « et », « cent » and « vingt » plural when multiplied and last (or before the nouns
« million »/« milliard »), « mille » invariable, « million »/« milliard » nouns that take an « s » and « de »
before what they count.

References: Dictionnaire de l'Académie française, s.v. CENT (« Deux cents hommes, deux cent trente hommes. Trois
cent mille francs. Un déficit de deux cents millions, de trois cents milliards. »), s.v. VINGT (« quatre-vingts »,
« quatre-vingt-un », « quatre-vingt mille »), s.v. MILLION (« un million d'hommes »); the rectifications of 1990
(Journal officiel, 6 December 1990, § II.1) are the other correct spelling, not the one used here.
"""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from donations.receipts import amount_in_words, number_in_words

# Examples written out in the references named above.
REFERENCE = [
    (1, "un"),
    (17, "dix-sept"),
    (21, "vingt et un"),
    (71, "soixante et onze"),
    (80, "quatre-vingts"),
    (81, "quatre-vingt-un"),
    (91, "quatre-vingt-onze"),
    (100, "cent"),
    (200, "deux cents"),
    (230, "deux cent trente"),
    (1000, "mille"),
    (1100, "mille cent"),
    (1984, "mille neuf cent quatre-vingt-quatre"),
    (2000, "deux mille"),
    (20_000, "vingt mille"),
    (32_571, "trente-deux mille cinq cent soixante et onze"),
    (80_000, "quatre-vingt mille"),
    (300_000, "trois cent mille"),
    (1_000_000, "un million"),
    (2_000_000, "deux millions"),
    (2_000_001, "deux millions un"),
    (200_000_000, "deux cents millions"),
    (1_000_000_000, "un milliard"),
    (1_300_000_000, "un milliard trois cents millions"),
]


@pytest.mark.parametrize(("n", "words"), REFERENCE)
def test_numbers_are_spelled_as_the_academie_writes_them(n, words):
    assert number_in_words(n) == words


@pytest.mark.parametrize(
    ("cents", "words"),
    [
        (100, "un euro"),
        (200, "deux euros"),
        (8000, "quatre-vingts euros"),
        (150, "un euro et cinquante centimes"),
        (1, "un centime"),
        (99, "quatre-vingt-dix-neuf centimes"),
        (100_000_000, "un million d'euros"),
        (300_000_000, "trois millions d'euros"),
        (200_000_000_000, "deux milliards d'euros"),
        (100_000_005, "un million d'euros et cinq centimes"),
        (100_010_000, "un million cent euros"),
        (2_000_000_00 + 100, "deux millions un euros"),
    ],
)
def test_amounts_name_the_euros_and_centimes(cents, words):
    assert amount_in_words(cents) == words


UNITS = {
    "zéro": 0,
    "un": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
}
SCALES = {"mille": 1000, "million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9}


def read_back(words: str) -> int:
    """An independent reader of French numerals: the words must say the number they were made from."""
    total, group, previous = 0, 0, None
    for token in re.split(r"[ -]", words):
        if token == "et":
            continue
        if token in UNITS:
            group += UNITS[token]
        elif token in ("vingt", "vingts"):
            group += 76 if previous == "quatre" else 20
        elif token in ("cent", "cents"):
            group = (group or 1) * 100
        elif token in SCALES:
            total += (group or 1) * SCALES[token]
            group = 0
        else:
            raise AssertionError(f"unknown word {token!r} in {words!r}")
        previous = token
    return total + group


@given(st.integers(min_value=1, max_value=999_999_999_999))
def test_words_say_the_number_and_follow_the_agreement_rules(n):
    words = number_in_words(n)
    assert read_back(words) == n, words
    tokens = words.split(" ")
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        # « cent » and « vingt » take an « s » only when multiplied and last, or before a noun of number.
        if token.endswith("cents") or token.endswith("vingts"):
            assert following in (None, "millions", "milliards"), words
        multiplied = i > 0 and tokens[i - 1] in UNITS
        if token == "cent" and multiplied and following in (None, "millions", "milliards"):
            raise AssertionError(f"« cents » expected in {words!r}")
    assert "milles" not in tokens and not words.startswith("un mille"), words
    # Nouns of number agree: « deux millions », « un million ».
    for noun in ("million", "milliard"):
        for i, token in enumerate(tokens):
            if token.rstrip("s") == noun:
                alone = tokens[i - 1] == "un" and (i == 1 or tokens[i - 2] in SCALES)
                assert token.endswith("s") != alone, words
    # The « et » of 21, 31… 71 is written without hyphens, never in 81 or 91.
    assert "-et-" not in words and "quatre-vingt et" not in words, words


@given(st.integers(min_value=1, max_value=10**13))
def test_amounts_say_d_euros_only_after_million_or_milliard(cents):
    words = amount_in_words(cents)
    euros = cents // 100
    assert ("d'euros" in words) == (euros > 0 and euros % 1_000_000 == 0), words
    assert "un-million" not in words and "zéro" not in words, words
