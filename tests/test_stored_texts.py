"""What services store for someone to read later is read in the reader's language (issue 15).

A mediation-places import that failed and a possible duplicate of a household were stored as the French words of
the process that wrote them: staff reading the admin in English read French. The places file is a CSV as the
LaMednum schema publishes it (https://schema.data.gouv.fr/LaMednum/standard-mediation-num/), here without its
required columns.

Below, read from the code with `ast`: nothing writes a gettext result into a model field, nor hands a journal a note
as words (the journals' notes were the last: tests/test_journal_notes.py).
"""

import ast
import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from reuse.eligibility.services import duplicates
from reuse.errors import InvalidInput
from reuse.tripod import lamednum
from tests.factories.accounts import UserFactory, household
from tests.test_one_way import TRANSLATING, called, sources

pytestmark = pytest.mark.django_db


def _staff_reading(client, language):
    staff = UserFactory(is_staff=True, is_superuser=True)
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = language
    profile.save()
    client.force_login(staff)
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Required columns missing: id, pivot"), ("fr", "Colonnes obligatoires absentes : id, pivot")],
)
def test_a_failed_places_import_is_listed_in_the_readers_language(client, language, words):
    with pytest.raises(InvalidInput):
        lamednum.import_places(b"nom;commune\nA;B\n", filename="x.csv", source="command")

    page = _staff_reading(client, language).get("/admin/tripod/import/").content.decode()

    assert words in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Same name, same date of birth and same postcode."), ("fr", "Même nom, même date de naissance")],
)
def test_a_possible_duplicate_says_why_in_the_readers_language(client, language, words):
    first = household(first_name="Awa", last_name="Diallo", birth_date="1990-01-02", postcode="93200")
    second = household(first_name="Awa", last_name="Diallo", birth_date="1990-01-02", postcode="93200")
    duplicates.record_fingerprint(first)
    (flag,) = duplicates.record_fingerprint(second)

    reader = _staff_reading(client, language)
    listing = reader.get("/admin/household-duplicates/").content.decode()
    page = reader.get(reverse("household-duplicates:resolve", args=[flag.pk])).content.decode()

    inspected = reader.get(reverse("household-duplicates:inspect", args=[flag.pk])).content.decode()

    assert words in listing
    assert words in page
    assert words in inspected


# --- words stored in the language of whoever wrote them ------------------------------------------------------------

# Calls that write their keywords into a row: the ORM's, the lifecycles' conditional update and moves (each writes
# its journal's row, with its note), the journals' typed constructors (`record`, `log_*`).
WRITES = re.compile(
    r"^(create|update|get_or_create|update_or_create|update_where|record|log_\w+|move|move_\w+|note|apply_transition)$"
)
GETTEXT = TRANSLATING | {"pgettext_lazy", "ngettext_lazy", "format_lazy"}


def _gettext_result(node, words: set[str]) -> bool:
    """A text gettext gave in the writer's language: its call, formatted, joined or passed through str(), or a
    local name holding one (`words`)."""
    if isinstance(node, ast.Name):
        return node.id in words
    if isinstance(node, ast.Call):
        name = called(node).split(".")[-1]
        if name in GETTEXT:
            return True
        if name in {"str", "format", "join"}:
            parts = [*node.args, *([node.func.value] if isinstance(node.func, ast.Attribute) else [])]
            return any(_gettext_result(part, words) for part in parts)
        return False
    if isinstance(node, ast.BinOp):
        return _gettext_result(node.left, words)
    parts = [*ast.walk(node)][1:] if isinstance(node, ast.IfExp | ast.BoolOp | ast.JoinedStr) else ()
    return any(_gettext_result(part, words) for part in parts if isinstance(part, ast.Call | ast.Name))


# What a journal's note is handed through to its row, whatever the helper: `note`, `device_note`, `claim_text`…
NOTES = re.compile(r"^(note|\w+_note|claim_text)$")


def _platform_words(node, words: set[str], people_type: bool) -> bool:
    """A note the code writes as words: gettext's, or a sentence of the source (a literal, an f-string, in a
    lambda, a list or an `or`). The demo's literals stand for what its people type."""
    node = node.body if isinstance(node, ast.Lambda) else node
    parts = {
        ast.IfExp: lambda n: (n.body, n.orelse),
        ast.BoolOp: lambda n: n.values,
        ast.List: lambda n: n.elts,
    }
    if type(node) in parts:
        return any(_platform_words(part, words, people_type) for part in parts[type(node)](node))
    literal = isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and str(node.value).strip())
    return _gettext_result(node, words) or (bool(literal) and not people_type)


def words_stored(tree: ast.AST, people_type: bool = False) -> list[tuple[int, str]]:
    """A gettext result written into a model field: a keyword (or a `defaults` entry) of a write, or an attribute
    of an object the same function saves; and a note the code writes as words, to any helper (_platform_words)."""
    found = []
    for function in [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]:
        nodes = list(ast.walk(function))
        texts = [n.targets for n in nodes if isinstance(n, ast.Assign) and _gettext_result(n.value, set())]
        words = {target.id for targets in texts for target in targets if isinstance(target, ast.Name)}
        calls = [called(node) for node in nodes if isinstance(node, ast.Call)]
        saved = {name.removesuffix(".save") for name in calls if name.endswith(".save")}
        for node in nodes:
            if isinstance(node, ast.Call):
                writes = WRITES.match(called(node).split(".")[-1])
                for keyword in node.keywords:
                    values = [keyword.value]
                    if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict):
                        values = keyword.value.values
                    note = NOTES.match(keyword.arg or "") and _platform_words(
                        keyword.value, words, people_type
                    )
                    if note or (writes and any(_gettext_result(value, words) for value in values)):
                        found.append((node.lineno, f"{called(node)}({keyword.arg}=<words>)"))
            elif isinstance(node, ast.Assign) and _gettext_result(node.value, words):
                for target in node.targets:
                    if isinstance(target, ast.Name) and NOTES.match(target.id):
                        found.append((node.lineno, f"{target.id} = <words>"))
                    if isinstance(target, ast.Attribute) and ast.unparse(target.value) in saved:
                        found.append((node.lineno, f"{ast.unparse(target)} = <words>, then saved"))
    return sorted(set(found))


def test_what_is_stored_for_later_is_a_code_never_the_writers_words():
    found = [
        f"{p}:{line}: {what}"
        for p, tree in sources()
        for line, what in words_stored(tree, p.endswith("demo.py"))
    ]
    assert found == [], (
        "Store a code with its parameters (a Text of the app's texts.py, reuse.errors), written out when read:\n"
        + "\n".join(found)
    )


@pytest.mark.parametrize(
    "source",
    [
        "def f(job):\n    Job.objects.filter(pk=1).update(message=_('Échec'))",
        "def f(job):\n    IMPORTS.update_where(jobs, 'failed', message=gettext('Échec : %(x)s') % {'x': 1})",
        "def f(a, b):\n    Flag.objects.get_or_create(first=a, second=b, defaults={'reason': _('Même nom')})",
        "def f(exc):\n    PlaceImport.objects.create(failure=str(_('Le fichier est vide.')))",
        "def f(job):\n    text = _('Échec')\n    Job.objects.create(message=text)",
        "def f(job):\n    job.message = _('Échec')\n    job.save()",
        "def f(claim):\n    ClaimEvent.record(subject=claim, note=_('Proposé depuis la liste d’attente.'))",
        "def f(claim):\n    confirm(claim, None, note=_('Rien à payer.'))",
        "def f(claim):\n    apply_transition(device_id=1, to='x', actor=None, note=f'Remis (demande #{claim.pk})')",
        "def f(claim):\n    reserve(claim, device_note=lambda claim: f'Demande #{claim.pk}')",
        "def f(t):\n    record_step(t, None, to='x', note='', claim_text=f'Ticket n° {t.pk} : conseil donné')",
        "def f(lot, note):\n    log_note(lot=lot, note=[_('Enlèvement prévu.'), note])",
        "def f(lot, w):\n    note = _('Attribué à %(n)s.') % {'n': w.name}\n    return _offer(lot, w, None, note)",
    ],
)
def test_the_stored_words_check_sees_each_way(source):
    assert words_stored(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "def f(job):\n    Job.objects.filter(pk=1).update(message=texts.STALE())",
        "def f(form):\n    form.fields['x'].label = _('Nom')",
        "def f(request):\n    messages.error(request, _('Échec'))",
        "def f():\n    raise InvalidInput(_('Le fichier est vide.'))",
        "def f(job):\n    job.title = _('Titre')\n    return job",
        "def f(claim, reason):\n    move_claim(claim, to='x', actor=None, note=reason or texts.CANCELLED())",
        "def f(lot, note):\n    log_note(lot=lot, note=[texts.PICKUP(when='2026-01-01'), note])",
    ],
)
def test_the_stored_words_check_leaves_codes_and_what_is_shown_now(source):
    assert not words_stored(ast.parse(source))
