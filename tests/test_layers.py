"""Layers only point down, and imports sit at the top of modules: read from the source with `ast`, no import run.

accounts → programmes → donations → inventory → eligibility → claims → cms. Inventory sits above donations
because its model points at theirs (a device's `lot` is a foreign key to the donor's lot, never the other way):
the workshop's intake reads lots, the donor's view of its devices is inventory's (`inventory/donor_reports/`), and
donations reads devices only through that relation (`lot.devices`). A module may import its own app and
any app in a lower layer; the project's shared helpers (errors, journal, lifecycle, money, file kinds, back-office
widgets) sit below every app; the wiring (urls, the API root, settings, management commands, benchmarks) above.
`enums.py` modules and the département table are vocabulary: any layer may read them, and they import nothing
of the project. `reuse/policy/X.py` belongs to app X.

The exceptions below are the ones left, each with its reason: the test fails when one is added, and also when
one listed is gone (so the list only shrinks).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("reuse", "donations", "inventory", "cms")

LAYERS = {
    "base": 0,
    "accounts": 1,
    "programmes": 2,
    "donations": 3,
    "inventory": 4,
    "eligibility": 5,
    "claims": 6,
    # After the handover, small structures, fragile territories: they read claims and hook into the lower apps
    # through their signals and guards.
    "aftercare": 7,
    "structures": 7,
    "territories": 7,
    # Connection and skills beside the device: reads claims and eligibility; claims' templates load its tags.
    "tripod": 7,
    "cms": 8,
    "wiring": 9,
}
BASE = {
    "reuse.errors",
    "reuse.journal",
    "reuse.lifecycle",
    "reuse.money",
    "reuse.filekinds",
    "reuse.backoffice",
}
BASE |= {
    "reuse.admin_actions",
    "reuse.views",
    "reuse.spreadsheets",
    "reuse.lost_letters",
    "reuse.workbooks",
    "reuse.csvfiles",
}
# How people's names are folded for comparing and searching: the accounts, the referrer's and the admin's searches.
BASE |= {"reuse.names"}
# Numeric bounds, the PDF text door and the field factories: shared by every layer, importing nothing of theirs.
BASE |= {"reuse.bounds", "reuse.pdf", "reuse.fields"}
# Sizes in gigabytes from a figure and its unit: the donors' manifests and the bench's reports read them alike.
BASE |= {"reuse.units", "reuse.serials"}
# The one reader of the photos people send (device photos, warranty photos, eligibility proofs).
BASE |= {"reuse.images"}
# Each upload's size limit, declared once, and the file field that tells the browser (every upload path reads it).
BASE |= {"reuse.uploads"}
# The file readers' stored texts (codes written out in the reader's language): the readers raise them, apps store them.
BASE |= {"reuse.texts"}
# Stored files served no more (quarantined): every file-serving helper asks it.
BASE |= {"reuse.models"}
# A moment written in the time of the place where it happens (claims, sessions, receipts, pickups), and its tags.
BASE |= {"reuse.places", "reuse.templatetags"}
WIRING = ("reuse.urls", "reuse.api", "reuse.settings", "reuse.management", "reuse.bench", "reuse.celery")
WIRING += ("reuse.apps", "reuse.middleware", "reuse.asgi", "reuse.wsgi", "reuse", "reuse.cache")
LEAVES = ("reuse.programmes.departments",)
POLICY = {
    "accounts": "accounts",
    "mandates": "eligibility",
    "eligibility": "eligibility",
    "claims": "claims",
    "donations": "donations",
    "inventory": "inventory",
}

# (importing module, imported module): why it is still there. Empty: the donor's view of its devices (lot page,
# dashboard, per-serial export, erasure certificate and reports, impact) lives in inventory/donor_reports/.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}
# Imports inside functions that must stay there: AppConfig.ready() connects receivers once the registry is
# ready.
UNAVOIDABLE_INNER = {
    ("reuse.accounts.apps", "reuse.accounts.backends"),
    ("reuse.accounts.apps", "reuse.accounts.lockouts"),
    ("reuse.accounts.apps", "reuse.accounts.tokens"),
    ("reuse.programmes.apps", "reuse.programmes.services"),
    ("cms.apps", "cms.chrome"),
    ("cms.apps", "cms.groups"),
    ("cms.apps", "cms.exports"),
    ("reuse.claims.apps", "reuse.claims.receivers"),
    ("reuse.claims.apps", "reuse.claims.catalogue_cache"),
    ("inventory.apps", "inventory.filters"),
    ("inventory.apps", "inventory.receivers"),
    ("inventory.apps", "inventory.donor_reports.stored"),
    ("reuse.eligibility.apps", "reuse.eligibility.receivers"),
    ("reuse.aftercare.apps", "reuse.aftercare.receivers"),
    ("reuse.structures.apps", "reuse.structures.receivers"),
    ("reuse.territories.apps", "reuse.territories.receivers"),
    ("reuse.tripod.apps", "reuse.tripod.receivers"),
}
# Left from before the layer check (cycles inside an app, mostly): each one removed is taken off this list.
INNER_TO_REMOVE: set[tuple[str, str]] = set()
ALLOWED_INNER = UNAVOIDABLE_INNER | INNER_TO_REMOVE


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> tuple[str, int] | None:
    """(app, layer) of a project module, None for a module outside the project or a vocabulary module."""
    parts = module.split(".")
    if parts[0] not in PACKAGES:
        return None
    if parts[-1] == "enums" or module.startswith(LEAVES):
        return None
    if parts[0] == "reuse" and len(parts) > 2 and parts[1] == "policy":
        app = POLICY[parts[2]]
        return app, LAYERS[app]
    if parts[0] == "reuse" and len(parts) > 1 and parts[1] in LAYERS:
        return parts[1], LAYERS[parts[1]]
    if parts[0] in LAYERS:
        return parts[0], LAYERS[parts[0]]
    if any(module == base or module.startswith(base + ".") for base in BASE):
        return "base", LAYERS["base"]
    if any(module == wiring or module.startswith(wiring + ".") for wiring in WIRING):
        return "wiring", LAYERS["wiring"]
    raise AssertionError(f"{module} belongs to no layer: add it to tests/test_layers.py")


def project_sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and "locale" not in path.parts:
                yield path, module_name(path)


def imports_of(tree: ast.AST):
    """(imported module, inside a function?) for every absolute import of the module."""
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner |= {id(sub) for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in inner
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # `from reuse.programmes import departments` imports the module reuse.programmes.departments.
                yield f"{node.module}.{alias.name}", id(node) in inner


def resolve(imported: str) -> str:
    """The longest prefix of `imported` that is a module of the project (a name from it otherwise)."""
    parts = imported.split(".")
    while parts:
        candidate = ROOT.joinpath(*parts)
        if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
            return ".".join(parts)
        parts.pop()
    return imported


def violations():
    """(upward imports not allowed, inner imports not allowed, allowances that no longer match anything)."""
    upward, inner = [], []
    unused_upward, unused_inner = set(ALLOWED_UPWARD), set(ALLOWED_INNER)
    for path, module in project_sources():
        own = layer_of(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for imported, in_function in imports_of(tree):
            if imported.split(".")[0] not in PACKAGES:
                continue
            target = resolve(imported)
            if in_function:
                if (module, target) in ALLOWED_INNER:
                    unused_inner.discard((module, target))
                else:
                    inner.append(f"{module} imports {target} inside a function")
            theirs = layer_of(target)
            if own is None:
                if theirs is not None:
                    upward.append(f"{module} is vocabulary and imports {target}")
                continue
            if theirs is None or own[0] in ("wiring", theirs[0]) or theirs[1] < own[1]:
                continue
            if (module, target) in ALLOWED_UPWARD:
                unused_upward.discard((module, target))
                continue
            upward.append(f"{module} ({own[0]}) imports {target} ({theirs[0]})")
    return upward, inner, unused_upward | unused_inner


def test_layers_only_point_down_and_imports_sit_at_the_top():
    upward, inner, unused = violations()
    assert not upward, "Upward imports:\n" + "\n".join(upward)
    assert not inner, "Imports inside functions (move them to the top):\n" + "\n".join(inner)
    assert not unused, "Allowances that no longer match any import (remove them):\n" + "\n".join(
        map(str, unused)
    )


def test_the_check_sees_an_upward_import(tmp_path):
    tree = ast.parse("from reuse.claims.models import Claim\n\ndef f():\n    from cms import chrome\n")
    found = list(imports_of(tree))
    assert ("reuse.claims.models.Claim", False) in found and ("cms.chrome", True) in found
    assert layer_of(resolve("reuse.claims.models.Claim")) == ("claims", LAYERS["claims"])
    assert layer_of("donations.impact")[1] < layer_of("reuse.claims.models")[1]


def test_donations_may_not_import_inventory_which_points_at_it():
    """Device.lot is a foreign key to Lot: inventory may read donations, a new import the other way fails."""
    assert layer_of("donations.models")[1] < layer_of("inventory.models")[1]
    tree = ast.parse("from inventory.services import intake\n")
    (imported, _inner), *_ = imports_of(tree)
    own, theirs = layer_of("donations.services"), layer_of(resolve(imported))
    assert theirs[1] > own[1] and ("donations.services", resolve(imported)) not in ALLOWED_UPWARD
    assert not [pair for pair in ALLOWED_UPWARD if pair[0].startswith("donations") and "inventory" in pair[1]]
