"""No module over 400 lines (migrations aside): a module that grows past it holds several capabilities and is
split by capability, as the services packages are (reuse/claims/services/, reuse/tripod/sessions.py)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
SKIPPED = {".venv", ".venv-runtime", "node_modules", "staticfiles", "media", ".git"}


def project_modules():
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIPPED or "migrations" in parts or any(part.startswith(".") for part in parts):
            continue
        yield path


def test_no_module_is_over_400_lines():
    modules = list(project_modules())
    assert len(modules) > 300  # the walk found the project
    long = {
        str(path.relative_to(ROOT)): lines
        for path in modules
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long
