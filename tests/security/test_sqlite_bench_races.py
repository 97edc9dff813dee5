"""The embedded default (SQLite in a file, as `make demo` runs it) under a workshop's files and a newcomer's sign-up
sent twice at the same moment: each is written once and the second request gets a clear answer, never a server
error. The PostgreSQL side of these races is tests/services/test_stock_concurrency.py."""

from inventory.models import Device, ErasureReport
from reuse.accounts.models import User
from reuse.accounts.signups import create_account
from tests import fixtures
from tests.factories.inventory import DeviceFactory
from tests.factories.manifests import workbook_bytes
from tests.services.test_stock_concurrency import _upload, import_stock_csv
from tests.sqlite_race import SQLITE_RACE, file_database, race  # noqa: F401 (the fixture)

pytestmark = SQLITE_RACE

workshop = fixtures.workshop
technician = fixtures.technician


def test_one_stock_spreadsheet_imported_twice_at_once_creates_each_device_once(
    file_database,  # noqa: F811
    workshop,
    technician,
):
    content = workbook_bytes([["Numéro de série", "Type"]] + [[f"DOUBLE-{n}", "laptop"] for n in range(20)])
    file_database()
    outcomes = race(2, lambda _i: import_stock_csv(workshop=workshop, actor=technician, data=content))

    assert sorted((o["created"], o["updated"]) for o in outcomes) == [(0, 20), (20, 0)], outcomes
    assert Device.objects.filter(serial__startswith="DOUBLE-").count() == 20


def test_one_erasure_report_sent_twice_at_once_is_kept_once(
    file_database,  # noqa: F811
    workshop,
    technician,
):
    DeviceFactory(workshop=workshop, serial="H2B7Q03", type="desktop", media_count=2)
    upload = _upload(workshop, technician, "nwipe_optiplex_7060.log", level="clear")
    file_database()
    outcomes = race(2, lambda _i: upload())

    assert sorted(o[0]["ok"] for o in outcomes) == [False, True], outcomes
    assert ErasureReport.objects.count() == 1


def test_one_email_signed_up_twice_at_once_opens_one_account(file_database):  # noqa: F811
    file_database()
    outcomes = race(
        2, lambda _i: create_account(email="meme.adresse@example.org", password="une-phrase-longue-2026")
    )

    assert sorted(o if isinstance(o, str) else "created" for o in outcomes) == ["created", "email_taken"]
    assert User.objects.filter(email="meme.adresse@example.org").count() == 1
