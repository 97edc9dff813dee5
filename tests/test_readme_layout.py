"""README's "Layout" table follows the tree: every package at the top level and under reuse/ has its row, every
package below them is named in its parent's row (`services/`, `models/`...) or by its path, and every path the
section names from the project root exists (read from the files, nothing imported). Django's own folders
(management commands, template tags, migrations) follow the framework and are not listed."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def layout_section(text: str) -> str:
    match = re.search(r"^## Layout\n(.*?)(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Layout' section followed by another section"
    return match.group(1)


def table_folders(section: str) -> set[str]:
    """The folders of the table's first column (`reuse/claims/`, `cms/`...), without their trailing slash."""
    folders = set()
    for line in section.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            folders |= {name.rstrip("/") for name in re.findall(r"`([^`]+)`", cells[1])}
    return folders


def named_paths(section: str) -> set[str]:
    """Every `code` span of the section that is a path from the project root (starts with a top-level folder)."""
    tops = {path.name for path in ROOT.iterdir() if path.is_dir() and not path.name.startswith(".")}
    return {
        span.rstrip("/")
        for span in re.findall(r"`([^`\s*]+)`", section)
        if "/" in span and span.split("/")[0] in tops
    }


def packages(root: Path = ROOT) -> set[str]:
    """The project's top-level packages and reuse/'s sub-packages, as paths (`cms`, `reuse/claims`)."""
    found = {path.parent.name for path in root.glob("*/__init__.py")}
    found |= {f"reuse/{path.parent.name}" for path in (root / "reuse").glob("*/__init__.py")}
    return found


DJANGO_FOLDERS = {"management", "commands", "templatetags", "migrations"}


def table_rows(section: str) -> dict[str, str]:
    """Each folder of the table's first column, with its whole row."""
    rows = {}
    for line in section.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            rows |= {name.rstrip("/"): line for name in re.findall(r"`([^`]+)`", cells[1])}
    return rows


def unnamed_subpackages(section: str, root: Path = ROOT) -> list[str]:
    """Packages below the table's folders that neither their parent's row nor the section names."""
    rows, unnamed = table_rows(section), []
    for init in sorted(root.glob("*/**/__init__.py")):
        relative = init.parent.relative_to(root).as_posix()
        parts = relative.split("/")
        if parts[0] in ("tests", ".venv") or parts[0].startswith(".") or DJANGO_FOLDERS & set(parts):
            continue
        if relative in rows or f"`{relative}" in section:
            continue
        parent = max((row for row in rows if relative.startswith(row + "/")), key=len, default=None)
        below = relative[len(parent) + 1 :] if parent else relative
        if parent is None or not re.search(r"(?<![\w/])" + re.escape(below) + "/", rows[parent]):
            unnamed.append(f"{relative}/ is named neither in the row of {parent}/ nor by its path")
    return unnamed


def problems(section: str, root: Path = ROOT) -> list[str]:
    folders = table_folders(section)
    missing = [f"{package}/ has no row in the layout table" for package in sorted(packages(root) - folders)]
    missing += unnamed_subpackages(section, root)
    gone = [
        f"{path} is named but does not exist"
        for path in sorted(named_paths(section) | folders)
        if not (root / path).exists()
    ]
    return missing + gone


def test_the_readme_layout_names_every_package_and_only_folders_that_exist():
    found = problems(layout_section(README.read_text(encoding="utf-8")))
    assert not found, "README.md, section Layout:\n" + "\n".join(found)


def test_the_check_sees_a_missing_package_and_a_folder_that_is_gone():
    section = layout_section(README.read_text(encoding="utf-8"))
    without_claims = "\n".join(
        line for line in section.splitlines() if not line.startswith("| `reuse/claims/`")
    )
    assert problems(without_claims)[0] == "reuse/claims/ has no row in the layout table"
    with_ghost = section + "| `reuse/ghosts/` | nothing |\nSee `inventory/ghosts/labels.py`.\n"
    assert problems(with_ghost) == [
        "inventory/ghosts/labels.py is named but does not exist",
        "reuse/ghosts is named but does not exist",
    ]


def test_the_check_sees_a_sub_package_its_parents_row_does_not_name():
    section = layout_section(README.read_text(encoding="utf-8"))
    without = section.replace("`services/` one module per capability", "one module per capability")
    assert problems(without) == [
        "reuse/claims/services/ is named neither in the row of reuse/claims/ nor by its path"
    ]
