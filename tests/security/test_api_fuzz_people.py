"""Every API operation fuzzed by schemathesis from the OpenAPI document, as each kind of person with a valid
token (household, referrer, association, donor, workshop technician, staff) and anonymously, against two
organisations of each kind: the person's own (world A) and the others' (world B, whose every row has an id from
FOREIGN_FLOOR to NEW_FLOOR, where the rows the requests write start).

The cases are schemathesis's (bodies of the schema's shape, so that they reach the services), with each object id
of the path drawn from the real objects of both worlds or a missing one. Properties, on every answer:
- never a server error;
- a refusal is the API's error shape, {"detail", "code"} (and "errors" of {"field", "message"}), in the
  person's language: their account's when the request names none (the token carries no language cookie), else
  the one their Accept-Language asks for;
- no answer names an object of another organisation (an id of world B the request did not send), but the public
  catalogue and open data;
- an object of another organisation answers exactly as a missing one (same status, same code): a 404, never a 403
  that would say it exists;
- a refused write changes no row of any table (content, not only counts).

test_api_hostile_input.py sends malformed input; this one sends well-formed input that reaches the rules.
"""

import hashlib
import json
import re
from urllib.parse import urlencode

import pytest
import schemathesis
from django.apps import apps
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.core import NotSet

from reuse.accounts.models import User
from reuse.accounts.services import issue_api_token
from reuse.api import api
from tests.security.access import World
from tests.security.hostile import fuzz_settings
from tests.security.test_api_fuzz import send
from tests.security.test_api_hostile_input import ENGLISH, FRENCH, _catalogue

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
MAX_EXAMPLES = 5
# Every row of world B has an id at least this: an integer this large in an answer is another organisation's.
FOREIGN_FLOOR = 10_000_000
# Rows the requests write start here, above world B's.
NEW_FLOOR = FOREIGN_FLOOR * 3
MISSING_ID = FOREIGN_FLOOR * 50
PEOPLE = ["anonymous", "household", "referrer", "association", "donor", "workshop", "coordinator"]
# Public by design: the catalogue lists every workshop's devices, open data every workshop's sessions.
PUBLIC = {"GET /api/v1/catalogue", "GET /api/v1/open-data/lieux.json", "GET /api/v1/open-data/lieux.csv"}
# Rows a request writes whatever its answer: the token's last use; and Wagtail's reference index, derived from
# the rows that are checked.
NOT_WRITES = {"wagtailcore_apitoken", "wagtailcore_referenceindex"}
# Refusals that write by design: a wrong handover code counts the attempt (the claim is blocked after a few), and
# a card payment Stripe could not start keeps its row, which holds the idempotency key the retry reuses.
WRITES_WHEN_REFUSED = {"bad_code": {"claims_claim"}, "payment_unavailable": {"claims_payment"}}
# Stripe is out of reach in tests: starting a card payment answers that it is momentarily unavailable.
UNAVAILABLE = "payment_unavailable"
# Staff see every organisation by design (the back office's API).
STAFF = {"coordinator"}


def _start_ids_at(floor: int) -> None:
    """Every table's next id at `floor` or more, so that the rows made next are told apart by their ids."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for model in apps.get_models():
                table = model._meta.db_table
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, floor])
        else:
            cursor.execute("SELECT schemaname, sequencename FROM pg_sequences")
            for schema, name in cursor.fetchall():
                cursor.execute("SELECT setval(%s, %s)", [f'"{schema}"."{name}"', floor])


class Worlds:
    def __init__(self):
        self.mine = World()
        _start_ids_at(FOREIGN_FLOOR)
        self.theirs = World()
        _start_ids_at(NEW_FLOOR)
        # Path ids by parameter name: both worlds' objects of that kind.
        self.ids = {
            "organisation_id": [self.mine.orgs["donor"].pk, self.theirs.orgs["donor"].pk],
            "decision_id": [self.mine.decision.pk, self.theirs.decision.pk],
            "claim_id": [self.mine.claim.pk, self.theirs.claim.pk],
            "lot_id": [w.lot.pk for w in (self.mine, self.theirs)]
            + [w.receipt_lot.pk for w in (self.mine, self.theirs)],
            "job_id": [self.mine.job.pk, self.theirs.job.pk],
            "device_id": [self.mine.device.pk, self.theirs.device.pk, self.mine.claim.device_id],
        }
        # Ids a body names, by field: both worlds' objects of that kind.
        self.body_ids = {
            "beneficiary_id": [w.users["household"].pk for w in (self.mine, self.theirs)],
            "lot_id": self.ids["lot_id"],
            "job_id": self.ids["job_id"],
            "workshop_id": [w.orgs["workshop"].pk for w in (self.mine, self.theirs)],
            "operator_id": [w.users["workshop"].pk for w in (self.mine, self.theirs)],
            "device_id": self.ids["device_id"],
        }
        self.body_ids["device_ids"] = [[pk] for pk in self.ids["device_id"]]
        self.tokens = {
            identity: issue_api_token(user=user)
            for identity, user in self.mine.users.items()
            if user is not None and identity in PEOPLE
        }


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield Worlds()
        transaction.set_rollback(True)


def _tables() -> list[str]:
    return sorted(
        {m._meta.db_table for m in apps.get_models() if not m._meta.proxy and m._meta.managed} - NOT_WRITES
    )


def _digest(tables) -> dict:
    """Each table's rows, hashed: a refused write must leave every one as it was."""
    digests = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return digests


def _integers(value) -> set[int]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_integers(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_integers(v) for v in value)) if value else set()
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return {int(value)}
    return set()


def _foreign_ids(payload, sent: set[int]) -> list[tuple[str, int]]:
    """Ids of world B in an answer, under a key that names an object (id, x_id, x_ids, or an object's id)."""
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (key == "id" or key.endswith(("_id", "_ids")) or key in ("lot", "device", "claim"))
            and FOREIGN_FLOOR <= value < NEW_FLOOR
            and value not in sent
        ):
            found.append((key, value))

    walk(payload)
    return found


def _messages(payload: dict) -> list[str]:
    messages = [payload.get("detail")]
    messages += [e.get("message") for e in payload.get("errors", []) if isinstance(e, dict)]
    return messages


def _shape_problems(payload) -> list[str]:
    if not isinstance(payload, dict):
        return ["not an object"]
    problems = [f"{key} is not text" for key in ("detail", "code") if not isinstance(payload.get(key), str)]
    for row in payload.get("errors", []):
        if not isinstance(row, dict) or not isinstance(row.get("message"), str):
            problems.append(f"errors row {row!r:.80}")
    return problems


def _path_ids(operation, ids):
    """Each path parameter drawn from both worlds' objects of its kind, a missing id, or schemathesis's own."""
    names = re.findall(r"{(\w+)}", operation.path)
    return st.fixed_dictionaries({name: st.sampled_from([*ids[name], MISSING_ID, None]) for name in names})


@pytest.mark.parametrize("identity", PEOPLE)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
@pytest.mark.django_db
def test_every_operation_as_every_person(label, identity, worlds, client):
    operation = OPERATIONS[label]
    french, english = _catalogue()
    tables = _tables()
    user = worlds.mine.users[identity]
    token = worlds.tokens.get(identity)

    @given(
        case=operation.as_strategy(),
        path_ids=_path_ids(operation, worlds.ids),
        body_ids=st.fixed_dictionaries(
            {},
            optional={
                key: st.sampled_from([*pool, [MISSING_ID] if key.endswith("_ids") else MISSING_ID])
                for key, pool in worlds.body_ids.items()
            },
        ),
        language=st.sampled_from(["fr", "en"]),
        asked=st.booleans(),
    )
    @fuzz_settings(MAX_EXAMPLES)
    def check(case, path_ids, body_ids, language, asked):
        for name, value in path_ids.items():
            if value is not None:
                case.path_parameters[name] = value
        if isinstance(_body(case), dict):
            case.body.update({key: value for key, value in body_ids.items() if key in case.body})
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if user is not None and not asked:
            # The person's account says their language; the request says none.
            User.objects.filter(pk=user.pk).update(language=language)
        else:
            headers["Accept-Language"] = language
        if user is not None and asked:
            User.objects.filter(pk=user.pk).update(language="fr")
        before = _digest(tables)
        response = send(client, case, headers)
        shown = (
            f"{identity} ({language}, {'asked' if asked else 'account'}) {case.method} {case.formatted_path}"
            f"?{urlencode(case.query or {}, doseq=True)} {_body(case)!r:.300} -> {response.status_code}\n"
            f"{response.content[:600]!r}"
        )
        payload = response.json() if response["Content-Type"].startswith("application/json") else None
        assert response.status_code < 500 or (payload or {}).get("code") == UNAVAILABLE, shown
        sent = _integers(case.path_parameters) | _integers(case.query) | _integers(_body(case))
        if label not in PUBLIC and identity not in STAFF:
            assert not _foreign_ids(payload, sent), shown
        if response.status_code >= 400:
            assert payload is not None and not _shape_problems(payload), shown
            if language == "en":
                assert not [m for m in _messages(payload) if m in french or FRENCH.search(m)], shown
            else:
                assert not [m for m in _messages(payload) if m in english or ENGLISH.search(m)], shown
            if case.method != "GET":
                allowed = WRITES_WHEN_REFUSED.get(payload["code"], set())
                changed = [t for t, d in _digest(tables).items() if d != before[t] and t not in allowed]
                assert not changed, f"{shown}\nchanged: {changed}"
        if identity not in STAFF and _name_foreign_objects(case, label):
            missing = send(client, _with_missing_ids(case, label), headers)
            assert (response.status_code, payload) == (missing.status_code, missing.json()), (
                f"{shown}\nthe same with missing ids -> {missing.status_code} {missing.content[:300]!r}"
            )

    check()


def _foreign(value) -> bool:
    if isinstance(value, list):
        return any(_foreign(v) for v in value)
    return FOREIGN_FLOOR <= _int(value) < NEW_FLOOR


def _body_keys(case, label) -> list[str]:
    """The body's fields that name an object not public by design (a listed device is in the catalogue)."""
    body = _body(case)
    if not isinstance(body, dict):
        return []
    public = {"device_id", "device_ids"} if label.startswith("POST /api/v1/claims") else set()
    return [key for key in body if key.endswith(("_id", "_ids")) and key not in public]


def _name_foreign_objects(case, label) -> bool:
    return any(_foreign(v) for v in case.path_parameters.values()) or any(
        _foreign(case.body[key]) for key in _body_keys(case, label)
    )


def _with_missing_ids(case, label):
    """The same request, each id of another organisation's object replaced by one that exists nowhere."""
    for name, value in case.path_parameters.items():
        if _foreign(value):
            case.path_parameters[name] = MISSING_ID
    for key in _body_keys(case, label):
        if _foreign(case.body[key]):
            case.body[key] = [MISSING_ID] if isinstance(case.body[key], list) else MISSING_ID
    return case


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _body(case):
    return None if isinstance(case.body, NotSet) else case.body


def test_foreign_ids_are_told_apart():
    """The leak check finds an id of world B under an object's key, and not the ids the request sent."""
    answer = {"items": [{"id": 3, "lot_id": FOREIGN_FLOOR + 4}], "device": FOREIGN_FLOOR + 9, "count": 12}
    assert _foreign_ids(answer, sent={FOREIGN_FLOOR + 9}) == [("lot_id", FOREIGN_FLOOR + 4)]


@pytest.mark.parametrize("field", ["beneficiary_id"])
@pytest.mark.parametrize("label", ["POST /api/v1/claims", "POST /api/v1/eligibility"])
@pytest.mark.django_db
def test_another_organisations_household_reads_as_a_missing_one(label, field, worlds, client):
    """A referrer naming the household another referrer follows, or any account, learns nothing: the answer is
    the one a missing id gets, word for word."""
    path = label.split(" ", 1)[1]
    headers = {"Authorization": f"Bearer {worlds.tokens['referrer']}"}
    body = {"device_id": worlds.mine.device.pk, "criteria": ["rsa"], "evidence": "attestation"}
    answers = {
        name: client.post(path, {**body, field: pk}, content_type="application/json", headers=headers)
        for name, pk in [
            ("their household", worlds.theirs.users["household"].pk),
            ("a donor's account", worlds.theirs.users["donor"].pk),
            ("missing", MISSING_ID),
        ]
    }
    shown = {name: (r.status_code, r.json()) for name, r in answers.items()}
    assert len({json.dumps(answer, sort_keys=True) for answer in shown.values()}) == 1, shown
