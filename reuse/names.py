"""How people's names are compared and searched: one folding for the duplicate check, the referrer's search and the
API's, so that « helene » finds « Hélène » and « d'almeida » finds « D’Almeida » wherever a person is looked for."""

import unicodedata

# Cyrillic and Greek letters drawn like Latin ones, in either case (Unicode's confusables, UTS #39, for the
# letters of names): « Маmаdоu » typed with Cyrillic М, а and о shows as « Mamadou » on every screen, and must
# compare as it. The table maps lower-case letters, read after lowering the case, so that a capital and its small
# letter still compare equal (« ИВАН » = « Иван »). Fullwidth and mathematical letters need no entry: NFKD
# already gives their Latin letter.
LOOKALIKES = str.maketrans(
    "авекмнорстухіјѕһԁԛԝүαβεζηικμνορτυχ",
    "abekmhopctyxijshdqwyabezhikmnoptyx",
)

# Latin letters Unicode gives no decomposition into a base letter and a mark, so that NFKD leaves them whole:
# typed on a French keyboard as their usual spelling (« Lœuillet » as « loeuillet », Vietnamese « Đặng » as
# « dang », « Søren » as « soren », « Łukasz » as « lukasz », « Straße » as « strasse »). Read after lowering.
UNDECOMPOSED = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i", "ħ": "h", "þ": "th"}
)


def normalise_name(text: str) -> str:
    """A name as it is compared: letters and digits only, accents, case and look-alike letters of other
    scripts aside (« Traoré » = « TRAORE » = « Trаоré » with Cyrillic а and о); apostrophes, straight or curly,
    hyphens and spaces count for nothing (« D’Almeida » = « d'almeida » = « dalmeida »), nor do invisible
    characters (a right-to-left override, a zero-width joiner); « œ », « đ », « ø »… are their plain spelling."""
    folded = unicodedata.normalize("NFKD", text or "").lower().translate(LOOKALIKES).translate(UNDECOMPOSED)
    return "".join(ch for ch in folded if ch.isalnum())


def search_name(first_name: str, last_name: str) -> str:
    """What a person's stored search key holds (User.search_name): the folded first and last names, apart, so
    that a word typed is looked for with a plain `contains`, the same on SQLite and PostgreSQL."""
    return f"{normalise_name(first_name)} {normalise_name(last_name)}".strip()
