"""The stock CSV's columns, written in the reader's language and read back in French, English or as codes.

A workshop exports its stock, edits it in a spreadsheet and imports it again: the export names each column in
the reader's language and shows types and states as words, prices in euros; the import accepts those headers
and words in either language (and the plain codes tools use), so a round trip never needs a dictionary.
"""

import unicodedata
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.formats import number_format

from inventory.enums import DeviceState, DeviceType, StorageMedium
from reuse.lost_letters import LostLetters
from reuse.money import euros_figure


@dataclass(frozen=True)
class StockColumn:
    code: str
    fr: str
    en: str
    field: str = ""  # the device field it is read into; empty for columns the export gives for information
    choices: type | None = None

    def header(self, language: str | None = None) -> str:
        return self.en if (language or translation.get_language() or "").startswith("en") else self.fr


COLUMNS = (
    StockColumn("asset_tag", "Étiquette", "Asset tag"),
    StockColumn("serial", "Numéro de série", "Serial number", "serial"),
    StockColumn("type", "Type", "Type", "type", DeviceType),
    StockColumn("brand", "Marque", "Brand", "brand"),
    StockColumn("model", "Modèle", "Model", "model"),
    StockColumn("state", "État", "State", choices=DeviceState),
    StockColumn("grade", "Grade", "Grade", "grade"),
    StockColumn("price_euros", "Prix solidaire (€)", "Solidarity price (€)", "price_cents"),
    StockColumn("year", "Année", "Year", "year"),
    StockColumn("cpu", "Processeur", "CPU", "cpu"),
    StockColumn("ram_gb", "Mémoire vive (Go)", "RAM (GB)", "ram_gb"),
    StockColumn("storage_type", "Type de stockage", "Storage type", "storage_type", StorageMedium),
    StockColumn("storage_gb", "Stockage (Go)", "Storage (GB)", "storage_gb"),
    StockColumn("screen_inches", "Écran (pouces)", "Screen (inches)", "screen_inches"),
    StockColumn("battery_health", "Santé de la batterie (%)", "Battery health (%)", "battery_health"),
    StockColumn("os", "Système", "Operating system", "os"),
    StockColumn("keyboard_layout", "Clavier", "Keyboard layout", "keyboard_layout"),
    StockColumn("accessories", "Accessoires", "Accessories", "accessories"),
    StockColumn("media_count", "Supports de stockage", "Storage media", "media_count"),
    StockColumn("lot", "Lot", "Lot"),
    StockColumn("received_at", "Reçu le", "Received on"),
)
BY_CODE = {column.code: column for column in COLUMNS}
BY_FIELD = {column.field: column for column in COLUMNS if column.field}
DECIMAL_FIELDS = ("screen_inches",)


def normalise(text: str) -> str:
    """Header and word matching ignores case, accents, spaces and punctuation: « Numéro de série » = "numero_serie"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if ch.isalnum()).lower()


_HEADERS = {}
for _column in COLUMNS:
    for _name in (_column.code, _column.fr, _column.en):
        _HEADERS.setdefault(normalise(_name), _column)
# The column name older files used before prices were typed in euros: same meaning, read as cents.
LEGACY_CENTS = normalise("price_cents")


# The words of every header, to read a header an ASCII export wrote with « ? » (« Num?ro de s?rie »).
_LETTERS = LostLetters(name for column in COLUMNS for name in (column.fr, column.en))


def restored(header: list) -> list:
    """A header row with each word an ASCII export wrote with « ? » given back as the known word it stands for."""
    return [_LETTERS.restore(str(name)) if name else name for name in header]


def column_of(header: str) -> StockColumn | None:
    return _HEADERS.get(normalise(header))


def header_row(language: str | None = None) -> list[str]:
    return [column.header(language) for column in COLUMNS]


def choice_code(column: StockColumn, text: str) -> str:
    """The stored code of a choice written as its code or its label in French or English; else the text."""
    wanted = normalise(text)
    for member in column.choices:
        names = [member.value]
        for language in ("fr", "en"):
            with translation.override(language):
                names.append(str(member.label))
        if wanted in {normalise(name) for name in names}:
            return member.value
    return text


def export_value(column: StockColumn, device) -> str | int | None:
    """One cell of the export, in the reader's language."""
    if column.code == "lot":
        return device.lot.title if device.lot_id else ""
    if column.code == "received_at":
        local = timezone.localtime(device.received_at)
        english = (translation.get_language() or "").startswith("en")
        return local.strftime("%Y-%m-%d %H:%M" if english else "%d/%m/%Y %H:%M")
    if column.code == "price_euros":
        return euros_figure(device.price_cents)
    value = getattr(device, column.code)
    if column.choices is not None and value in column.choices.values:
        return str(column.choices(value).label)
    if column.code in DECIMAL_FIELDS and value is not None:
        return number_format(value, 1)
    return value
