import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "reuse" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"


def po_entries():
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid (".*")$', block, re.M)
        if not msgid or not ast.literal_eval(msgid.group(1)):
            continue
        plural = re.search(r'^msgid_plural (".*")$', block, re.M)
        strings = [
            ast.literal_eval(value) for value in re.findall(r'^msgstr(?:\[\d\])? (".*")$', block, re.M)
        ]
        yield ast.literal_eval(msgid.group(1)), plural and ast.literal_eval(plural.group(1)), strings, block


def test_every_interface_string_has_an_english_translation_and_the_mo_is_compiled():
    catalog = gettext.translation("django", localedir=str(LOCALE), languages=["en"])
    entries = list(po_entries())
    assert len(entries) > 300
    for msgid, plural, strings, block in entries:
        assert "#, fuzzy" not in block, msgid
        assert all(strings), f"untranslated: {msgid}"
        context = re.search(r'^msgctxt (".*")$', block, re.M)
        if plural:
            assert catalog.ngettext(msgid, plural, 2) == strings[1], msgid
        elif context:  # the same French word in another sense (« Écran », the screen, not the monitor)
            assert catalog.pgettext(ast.literal_eval(context.group(1)), msgid) == strings[0], msgid
        else:
            assert catalog.gettext(msgid) == strings[0], f".mo is stale for {msgid}"


@pytest.mark.django_db
def test_the_interface_is_in_english_after_the_switch(client, demo):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/conditions-eligibilite/").content.decode()
    assert "Skip to content" in html and "Your department" in html and "Who is eligible?" in html
    assert "Household: 1 device of the same type every 24 months." in html
