"""One way to do each thing (issue 15), read from the code with `ast` and from the templates, nothing run.

Each check lists what it found with its place; a shared helper (the money formatter, the CSV writer, the spreadsheet
reader, the SIRET check) is the one module allowed to do the thing itself. The benchmarks (reuse/bench/) write the
files and figures an operator reads at a terminal and are left out.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("reuse", "donations", "inventory", "cms")
BENCH = "reuse/bench/"


def sources(*allowed: str):
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" not in path.parts and not relative.startswith((BENCH, *allowed)):
                yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def called(node: ast.Call) -> str:
    """`module.function` or `function` as written at the call."""
    return ast.unparse(node.func)


# --- money: reuse/money.py -------------------------------------------------------------------------------------

MONEY_NAME = re.compile(r"cents|euros|price|amount|/ ?100\b")
EURO_BESIDE_FIGURE = re.compile(r"%\(\w+\)s\s*€|€\s*%\(\w+\)s|€\s*$|^\s*€")


def money_formatting(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and called(node).split(".")[-1] == "number_format":
            if any(MONEY_NAME.search(ast.unparse(argument)) for argument in node.args[:1]):
                found.append((node.lineno, f"{ast.unparse(node)}: money through number_format"))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            if ".2f" in ast.unparse(node.format_spec):
                found.append((node.lineno, "an amount written with :.2f"))
        elif isinstance(node, ast.JoinedStr):
            texts = [part.value for part in node.values if isinstance(part, ast.Constant)]
            if any(EURO_BESIDE_FIGURE.search(text) for text in texts):
                found.append((node.lineno, "an f-string putting « € » beside a figure"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.search(r"%\(\w+\)s\s*€|€\s*%\(\w+\)s", node.value):
                found.append((node.lineno, f"« {node.value[:60]}… » puts « € » beside a figure"))
    return found


TEMPLATE_FLOAT = re.compile(r"\b(\w*(?:cents|euros|price|amount|montant)\w*)\|floatformat")


def test_money_is_written_by_the_one_formatter():
    found = [
        f"{path}:{line}: {what}"
        for path, tree in sources("reuse/money.py")
        for line, what in money_formatting(tree)
    ]
    for template in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" not in template.parts:
            for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
                if TEMPLATE_FLOAT.search(line):
                    found.append(f"{template.relative_to(ROOT)}:{number}: floatformat on an amount")
    assert found == [], (
        "Write money with reuse.money (format_euros, euros_figure, the euros filter):\n" + "\n".join(found)
    )


@pytest.mark.parametrize(
    "source",
    [
        "f'{price_cents / 100:.2f}'",
        "f'{total} €'",
        "_('Entre %(low)s € et %(high)s €') % values",
        "number_format(low / 100, 2)",
        "number_format(cents_to_euros(device.price_cents), 2)",
    ],
)
def test_the_money_check_sees_each_way(source):
    assert money_formatting(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "number_format(device.screen_inches)",
        "_('Quotient familial (€)')",
        "f'{seconds:.3f} s'",
        "format_euros(c)",
    ],
)
def test_the_money_check_leaves_other_figures(source):
    assert not money_formatting(ast.parse(source))


def test_a_template_amount_through_floatformat_is_seen():
    assert TEMPLATE_FLOAT.search("{{ claim.price_euros|floatformat:2 }}")
    assert not TEMPLATE_FLOAT.search("{{ km|floatformat:0 }}")


# --- files: one CSV writer (reuse/csvfiles.py), one spreadsheet reader (reuse/spreadsheets.py) -------------------

WRITERS = {"csv.writer", "csv.DictWriter"}
READERS = {"csv.reader", "csv.DictReader", "openpyxl.load_workbook", "xlrd.open_workbook", "load_workbook"}
# Tables the project ships and reads itself (the départements, the makers' types, the demo's places): never a
# file a person sends.
OWN_DATA = ("reuse/programmes/departments.py", "donations/exports/makers.py", "reuse/tripod/demo.py")


def calls_to(names: set[str], *allowed: str) -> list[str]:
    return [
        f"{path}:{node.lineno}: {called(node)}"
        for path, tree in sources(*allowed)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and called(node) in names
    ]


def test_csv_is_written_only_by_the_writer_that_neutralises_formulas():
    assert calls_to(WRITERS, "reuse/csvfiles.py") == []


def test_workbooks_are_written_only_by_the_writer_that_keeps_formulas_as_text():
    assert calls_to({"openpyxl.Workbook", "Workbook"}, "reuse/workbooks.py") == []


def test_spreadsheets_people_send_are_read_only_by_the_one_reader():
    assert calls_to(READERS, "reuse/spreadsheets.py", "reuse/workbooks.py", *OWN_DATA) == []


# --- SIRET and SIREN: python-stdnum, through reuse/accounts/validators.py ------------------------------------------


VALIDATORS = {"validate_siret", "validate_siren"}


def own_identifier_checks(tree: ast.AST) -> list[tuple[int, str]]:
    """python-stdnum's French identifiers or its Luhn imported, or a function named after the SIRET, SIREN or Luhn
    that calls neither validator. Its other rules (a GTIN's EAN check digit at the bench) are not company numbers."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (
            (node.module or "").startswith(("stdnum.fr", "stdnum.luhn"))
            or (node.module == "stdnum" and any(alias.name in {"fr", "luhn"} for alias in node.names))
        ):
            found.append((node.lineno, f"from {node.module} import …"))
        elif isinstance(node, ast.Import) and any(
            alias.name.startswith(("stdnum.fr", "stdnum.luhn")) for alias in node.names
        ):
            found.append((node.lineno, "import stdnum.fr"))
        elif isinstance(node, ast.FunctionDef) and re.search(r"luhn|siret|siren", node.name, re.IGNORECASE):
            names = {called(sub).split(".")[-1] for sub in ast.walk(node) if isinstance(sub, ast.Call)}
            if not names & VALIDATORS:
                found.append((node.lineno, f"{node.name}() checks an identifier by itself"))
    return found


def test_siret_and_siren_are_checked_through_the_one_validator():
    found = [
        f"{path}:{line}: {what}"
        for path, tree in sources("reuse/accounts/validators.py")
        for line, what in own_identifier_checks(tree)
    ]
    assert found == [], "Check identifiers with reuse.accounts.validators (python-stdnum):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize(
    "source",
    [
        "from stdnum.fr import siret",
        "from stdnum import luhn",
        "import stdnum.fr.siren",
        "def luhn_ok(number):\n    return sum(map(int, number)) % 10 == 0",
        "def checked_siret(value):\n    return stdnum_siret.validate(value)",
    ],
)
def test_the_identifier_check_sees_a_check_of_its_own(source):
    assert own_identifier_checks(ast.parse(source))


def test_another_stdnum_rule_is_not_an_identifier_check():
    assert not own_identifier_checks(ast.parse("from stdnum import ean"))


def test_a_function_calling_the_validator_is_not_its_own_check():
    assert not own_identifier_checks(ast.parse("def clean_siret(self):\n    validate_siret(self.value)"))


# --- stored data is language-neutral: codes, never translated words ------------------------------------------------

TRANSLATING = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext", "gettext_noop"}


def _translated(node) -> bool:
    """A translated text: a gettext call, a choice's `.label`, a `get_…_display()`."""
    if isinstance(node, ast.Call):
        name = called(node).split(".")[-1]
        return name in TRANSLATING or bool(re.fullmatch(r"get_\w+_display", name))
    # `Status(value).label`: a choice's label (an app's `sender.label` is a code).
    return isinstance(node, ast.Attribute) and node.attr == "label" and isinstance(node.value, ast.Call)


def _catalogue_words() -> set[str]:
    """The words of the French texts the site translates (the msgids of its catalogue)."""
    catalogue = (ROOT / "reuse/locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    msgids = re.findall(r'^msgid "(.+)"$', catalogue, re.MULTILINE)
    return {word.lower() for msgid in msgids for word in re.findall(r"\w{4,}", msgid)}


CATALOGUE_WORDS = _catalogue_words()


def _french_word(node) -> bool:
    """A constant made of words of the translated texts (« examiner »), not a code (« asset_tag », « nvme »)."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"[^\W\d_]{4,}(?: [^\W\d_]+)*", node.value) is not None
        and all(word.lower() in CATALOGUE_WORDS for word in node.value.split())
    )


def text_used_as_data(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(map(_translated, sides)) or (
                any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
                and _french_word(node.left)
                and any(isinstance(side, ast.Call) and called(side) == "str" for side in sides[1:])
            ):
                found.append((node.lineno, f"compares translated text: {ast.unparse(node)[:80]}"))
        elif isinstance(node, ast.Call) and called(node).endswith("reasons.append") and node.args:
            if not (isinstance(node.args[0], ast.Call) and called(node.args[0]).split(".")[-1] == "reason"):
                found.append((node.lineno, "a decision reason stored without reason(code, …)"))
        elif isinstance(node, ast.keyword) and node.arg == "reasons" and isinstance(node.value, ast.List):
            if not all(
                isinstance(item, ast.Call) and called(item).split(".")[-1] == "reason"
                for item in node.value.elts
            ):
                found.append((node.value.lineno, "decision reasons written as text"))
    return found


def test_translated_text_is_never_data():
    found = [f"{path}:{line}: {what}" for path, tree in sources() for line, what in text_used_as_data(tree)]
    # Decisions are written in eligibility alone; other apps' `reasons` lists are not decisions'.
    found = [item for item in found if "decision reason" not in item or item.startswith("reuse/eligibility/")]
    assert found == [], "Store and compare codes, render them in the reader's language:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "if _('Justificatif à examiner') in reasons: pass",
        "ok = decision.get_status_display() == 'Accordée'",
        "ok = DocumentStatus(x).label != label",
        "keep = [r for r in reasons if 'examiner' not in str(r)]",
        "decision.reasons.append(_('Justificatif vérifié'))",
        "Decision.objects.create(reasons=['Quotient familial trop élevé'])",
    ],
)
def test_the_text_check_sees_each_way(source):
    assert text_used_as_data(ast.parse(source))


@pytest.mark.parametrize(
    "source",
    [
        "ok = decision.status == DecisionStatus.APPROVED",
        "reasons.append(reason('document_verified'))",
        "x = 'nvme' in text",
    ],
)
def test_the_text_check_leaves_codes_alone(source):
    assert not text_used_as_data(ast.parse(source))
