"""A link's words say where it leads: screen readers list a page's links on their own, and a household on a small
screen scans them, so « cliquez ici » or « en savoir plus » tells neither of them anything (WCAG 2.4.4, RGAA 6.1).
The editor is told so, in French, on the rich text and on every call to action's text."""

import re
import unicodedata

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Link texts that name no destination, as editors write them (French first, and the English copy's).
VAGUE = {
    "ici",
    "la",
    "cliquez ici",
    "cliquer ici",
    "clique ici",
    "cliquez",
    "en cliquant ici",
    "appuyez ici",
    "lien",
    "ce lien",
    "le lien",
    "suivez ce lien",
    "ce site",
    "en savoir plus",
    "pour en savoir plus",
    "savoir plus",
    "plus",
    "plus d'infos",
    "plus d'informations",
    "lire la suite",
    "la suite",
    "suite",
    "voir",
    "voir plus",
    "lire",
    "here",
    "click here",
    "click",
    "this link",
    "link",
    "read more",
    "more",
    "learn more",
    "more info",
    "see more",
}
_NOT_WORDS = re.compile(r"[^\w']+")
_MESSAGE = _(
    "Le texte du lien « %(text)s » ne dit pas où il mène : un lecteur d’écran lit les liens seuls. "
    "Écrivez la destination, par exemple « Voir les conditions d’éligibilité »."
)


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("à", "a")
    return " ".join(_NOT_WORDS.sub(" ", text).split())


def is_vague(text: str) -> bool:
    return _folded(text) in VAGUE


def check_link_text(text: str) -> None:
    if text and is_vague(text):
        raise ValidationError(_MESSAGE, code="vague_link", params={"text": text.strip()})


def check_rich_text_links(html: str) -> None:
    """Every vague link of a rich text, said together."""
    vague = [anchor.get_text().strip() for anchor in BeautifulSoup(html or "", "html.parser").find_all("a")]
    refused = [
        ValidationError(_MESSAGE, code="vague_link", params={"text": text})
        for text in vague
        if is_vague(text)
    ]
    if refused:
        raise ValidationError(refused)
