"""Text an ASCII encoder wrote: Windows PowerShell 5.1's Export-Csv, by default, writes « ? » for each character
outside ASCII (.NET's ASCIIEncoding), so « Numéro de série » arrives as « Num?ro de s?rie ». Headers are read
back from the words they can stand for; values are kept as written and pointed out to the person who sent them.
"""

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# A « ? » an ASCII encoder wrote for a letter it could not encode (« M?moire », « ?tat », « us? »), not a question.
LOST_LETTER = re.compile(r"[^\W\d_]\?+[^\W\d_]|(?<!\w)\?[^\W\d_]{2}|[^\W\d_]{2}\?(?![\w?])")
LOST_LETTER_WORD = re.compile(r"[A-Za-z0-9]*\?[A-Za-z0-9?]*")


def lost_letters(text) -> bool:
    """Whether a text holds a « ? » an ASCII encoder wrote for an accented letter (« M?moire », « us? »)."""
    return "?" in str(text) and bool(LOST_LETTER.search(str(text)))


def row_lost_letters(values) -> bool:
    """Whether one of a row's values holds a « ? » an ASCII encoder wrote for a letter: the row to point out."""
    return any(lost_letters(value) for value in values)


# The rows a notice names, the first ones; it counts the others.
ROWS_NAMED = 50


def notice(*, headers, rows, row_count: int | None = None) -> list[str]:
    """What the person who sent a file whose accents were lost reads (a donor's manifest, a workshop's stock):
    the headers concerned (read all the same), the rows whose values were read as written (the first
    ROWS_NAMED of `row_count`), and how to export again in UTF-8; paragraphs, none when nothing was lost."""
    row_count = len(rows) if row_count is None else row_count
    if not headers and not row_count:
        return []
    said = [_("Les accents de ce fichier ont été perdus : chaque lettre accentuée est devenue « ? ».")]
    if headers:
        named = ", ".join(_("« %(header)s »") % {"header": header} for header in headers)
        said.append(_("En-têtes concernés (reconnus malgré tout) : %(headers)s.") % {"headers": named})
    if row_count:
        named = list(rows)[:ROWS_NAMED]
        listed = ", ".join(str(number) for number in named) + ("…" if row_count > len(named) else "")
        said.append(
            ngettext(
                "Valeurs lues telles quelles, à vérifier : ligne %(rows)s.",
                "Valeurs lues telles quelles, à vérifier (%(n)s lignes) : lignes %(rows)s.",
                row_count,
            )
            % {"n": row_count, "rows": listed}
        )
    return [
        " ".join(said),
        _(
            "Windows PowerShell 5.1 écrit en ASCII par défaut : exportez à nouveau avec « | Export-Csv -Path"
            " parc.csv -NoTypeInformation -Encoding UTF8 » et envoyez ce fichier pour garder les accents."
        ),
    ]


class LostLetters:
    """Headers written by an ASCII encoder (Windows PowerShell 5.1's Export-Csv by default) have « ? » for each
    accented letter: « Num?ro de s?rie ». `restore` gives each such word back as the one known word it can be
    (a « ? » for one letter), or as known words apart (« d?achat »: an apostrophe); other words are kept."""

    def __init__(self, names):
        self.by_length: dict[int, set[str]] = {}
        for name in names:
            ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
            for word in re.sub(r"[^a-z0-9]+", " ", ascii_name).split():
                self.by_length.setdefault(len(word), set()).add(word)

    def restore(self, text: str) -> str:
        return LOST_LETTER_WORD.sub(self._word, text) if "?" in text else text

    def _word(self, match) -> str:
        token = match.group(0)
        if not token.strip("?"):
            return token
        pattern = re.compile(re.escape(token.lower()).replace(r"\?", "[a-z]"))
        found = [word for word in self.by_length.get(len(token), ()) if pattern.fullmatch(word)]
        if len(found) == 1:
            return found[0]
        parts = [part for part in token.lower().split("?") if part]
        if parts and all(part in self.by_length.get(len(part), ()) for part in parts):
            return " ".join(parts)
        return token
