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
