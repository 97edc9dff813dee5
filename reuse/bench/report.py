"""docs/benchmarks.md: the machine the figures come from, and the file written whole (`make bench`) or one
section of it replaced (a benchmark run alone)."""

import os
import platform
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
TARGET = ROOT / "docs" / "benchmarks.md"


def stamp() -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())


def machine_lines() -> list[str]:
    try:
        with open("/proc/meminfo") as meminfo:
            memory = f"{int(meminfo.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        memory = "unknown"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("select version()")
            version = cursor.fetchone()[0].split(",")[0]
        else:
            cursor.execute("select sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return [
        f"- machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, {memory} RAM",
        f"- Python {platform.python_version()}, {version} (database `{connection.settings_dict['NAME']}`)",
    ]


def write_report(sections: list[str], command: str) -> Path:
    TARGET.parent.mkdir(exist_ok=True)
    header = [
        "# Benchmarks",
        "",
        f"Produced by `{command}` on {stamp()}.",
        "Figures only: nothing asserts on time. Re-run the command to refresh this file.",
        "",
    ]
    TARGET.write_text("\n".join(header + sections) + "\n")
    return TARGET


def write_section(title: str, command: str, lines: list[str]) -> Path:
    """Replace the section `title` (a "## " heading) of docs/benchmarks.md, or append it."""
    text = TARGET.read_text() if TARGET.exists() else "# Benchmarks\n"
    block = f"{title}\nProduced by `{command}` on {stamp()}.\n```\n" + "\n".join(lines) + "\n```\n"
    if title in text:
        before, rest = text.split(title, 1)
        following = rest.find("\n## ")
        text = before + block + (rest[following + 1 :] if following != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    TARGET.write_text(text)
    return TARGET
