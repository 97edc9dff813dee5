"""Identifiers read from outside (cursors, ids in query strings, fields of uploaded files) are ASCII digits.

`str.isdigit()` accepts "²" and "٣": `int("²")` then raises (a 500 the API fuzzer found on the stock API's cursor),
and a 30-digit number overflows PostgreSQL's bigint. One helper, `reuse.bounds.whole_number`, reads them all.
"""

import subprocess
from pathlib import Path

import pytest

from reuse.accounts.services import issue_api_token
from reuse.bounds import whole_number
from tests.factories.inventory import DeviceFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("²", None),
        ("٣", None),
        ("1²", None),
        ("-1", None),
        ("1.5", None),
        ("", None),
        (None, None),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),
    ],
)
def test_whole_number_reads_ascii_digits_only(raw, expected):
    assert whole_number(raw) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["²", "٣", "9" * 40, "-3", "abc"])
def test_a_strange_cursor_is_a_clear_error_not_a_500(api_client, technician, workshop, cursor):
    DeviceFactory(workshop=workshop)
    api = api_client.with_token(issue_api_token(user=technician))
    response = api.get("/api/v1/devices", cursor=cursor)
    assert response.status_code in (400, 422), response.content
    assert response.json()["code"]


def test_nothing_else_trusts_isdigit():
    found = subprocess.run(
        ["git", "grep", "-n", r"\.isdigit()", "--", "reuse", "inventory", "donations", "cms"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    offenders = [
        line for line in found if not line.startswith("reuse/bounds.py") and "/migrations/" not in line
    ]
    assert offenders == []
