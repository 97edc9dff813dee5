"""Hostile inputs for the API's fuzzing (test_api_hostile_input.py): what a careless script or an attacker with a
valid token sends in place of a value, a body or a query string.

Operations and their fields are read from the OpenAPI document the ninja API object builds, so a new operation
or a new field is fuzzed without a line here.
"""

import json
import string

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from reuse.api import api

SCHEMA = api.get_openapi_schema(path_prefix="/api/v1")
OPERATIONS = {
    f"{method.upper()} {path}": (method.upper(), path, spec)
    for path, methods in SCHEMA["paths"].items()
    for method, spec in methods.items()
}

BIG = [2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, -(10**30)]
SMALL = [0, -1, -(2**31)]
# Strings that break a layer below the API: NUL (PostgreSQL refuses it in text), an unpaired surrogate (no UTF-8
# encoding), control characters, bidi overrides, a dash-looking digit, markup, SQL, paths.
NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "\x1b[31m",
    "\u202e\u0661\u0662",
    "٣",
    "²",
    "1e3",
    "0x10",
    "-0",
    "NaN",
    "<script>alert(1)</script>",
    "'; DROP TABLE claims_claim; --",
    "../../etc/passwd",
    "%00",
    "é" * 300,
    "9" * 40,
]
BAD_DATES = [
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31T25:61:00",
    "31/12/2026",
    "10000-01-01",
    "-1",
]
LONG = st.integers(min_value=200, max_value=20_000).map(lambda n: "ß" * n)

scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(BIG + SMALL),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(NASTY_TEXT + BAD_DATES),
    st.text(alphabet=string.printable, max_size=30),
    st.text(max_size=30),
    LONG,
)
hostile = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=8,
)


def _resolve(schema: dict) -> dict:
    if "$ref" in schema:
        return _resolve(SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]])
    if "anyOf" in schema:
        typed = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _resolve(typed[0]) if typed else schema
    return schema


def plausible(schema: dict, depth: int = 0):
    """A value of the schema's type, so that a hostile value in one field reaches the code behind the others."""
    schema = _resolve(schema)
    kind = schema.get("type")
    if schema.get("enum"):
        return st.sampled_from(schema["enum"])
    if kind == "integer":
        return st.integers(min_value=-2, max_value=20)
    if kind == "number":
        return st.floats(min_value=-1, max_value=50, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(value(schema.get("items", {}), depth + 1), max_size=3)
    if kind == "object" and depth < 3:
        return body(schema, depth + 1)
    if schema.get("format") == "date":
        return st.dates().map(str)
    if schema.get("format") == "date-time":
        return st.datetimes().map(lambda d: d.isoformat())
    return st.text(alphabet=string.ascii_letters + string.digits + " -", max_size=12)


def value(schema: dict, depth: int = 0):
    return st.one_of(plausible(schema, depth), hostile) if depth < 3 else hostile


def body(schema: dict, depth: int = 0):
    """An object with some of the schema's fields (plausible or hostile) and sometimes an unknown one; or a
    plausible object with a single field hostile, which gets past the schema to the services and the database."""
    schema = _resolve(schema)
    properties = schema.get("properties", {})
    if not properties:
        return st.dictionaries(st.text(max_size=8), hostile, max_size=3)
    fields = st.fixed_dictionaries(
        {}, optional={name: value(prop, depth) for name, prop in properties.items()}
    )
    extra = st.dictionaries(
        st.sampled_from(["id", "status", "workshop_id", "__proto__", ""]), hostile, max_size=1
    )
    mixed = st.tuples(fields, extra).map(lambda pair: {**pair[1], **pair[0]})
    whole = st.fixed_dictionaries({name: plausible(prop, depth + 1) for name, prop in properties.items()})
    one_wrong = st.tuples(whole, st.sampled_from(sorted(properties)), hostile).map(
        lambda parts: {**parts[0], parts[1]: parts[2]}
    )
    return st.one_of(mixed, one_wrong)


# Raw bodies that are not what the operation reads: not JSON, JSON of another shape, a duplicate key, too deep.
RAW_BODIES = [
    b"",
    b"not json",
    b"{",
    b"null",
    b"[]",
    b"1e999",
    b'"\\ud800"',
    b'{"a": 1, "a": {"b": []}}',
    b"\xff\xfe\x00{",
    b"[" * 5000 + b"]" * 5000,
    b'{"items": ' + b"[" * 3000 + b"]" * 3000 + b"}",
]


def json_body(operation_body: dict):
    """(bytes, content type) for a JSON operation: a generated object, or a raw body, under a right or wrong type."""
    schema = operation_body["content"]["application/json"]["schema"]
    encoded = body(schema).map(lambda data: json.dumps(data).encode())
    raw = st.one_of(encoded, st.sampled_from(RAW_BODIES), hostile.map(lambda v: json.dumps(v).encode()))
    media = st.sampled_from(
        ["application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", ""]
    )
    return st.tuples(raw, media)


def form_fields(operation_body: dict):
    """(fields, file content) for a multipart operation."""
    schema = operation_body["content"]["multipart/form-data"]["schema"]
    properties = _resolve(schema).get("properties", {})
    texts = st.one_of(st.sampled_from(NASTY_TEXT + BAD_DATES), st.text(max_size=20), hostile.map(json.dumps))
    fields = st.fixed_dictionaries(
        {}, optional={name: texts for name, prop in properties.items() if prop.get("format") != "binary"}
    )
    content = st.one_of(
        st.binary(max_size=200),
        st.sampled_from([b"", b"\x00" * 64, "type;serial\nlaptop;\ud800".encode("utf-8", "surrogatepass")]),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
    return st.tuples(fields, content)


def query(parameters: list[dict]):
    """A query string's pairs: each declared parameter plausible, hostile or absent, cursors and limits tampered."""
    hostile_text = st.one_of(
        st.sampled_from(NASTY_TEXT + BAD_DATES + [str(n) for n in BIG + SMALL] + ["1000000000", "bm9wZQ=="]),
        st.binary(max_size=12).map(lambda b: b.hex()),
        st.text(max_size=20),
    )
    named = {
        p["name"]: st.one_of(plausible(p.get("schema", {})).map(str), hostile_text)
        for p in parameters
        if p["in"] == "query"
    }
    extra = st.dictionaries(
        st.sampled_from(["limit", "cursor", "offset", "page", "workshop"]), hostile_text, max_size=2
    )
    return st.tuples(st.fixed_dictionaries({}, optional=named), extra).map(
        lambda pair: {**pair[1], **pair[0]}
    )


def fuzz_settings(max_examples: int):
    """Hypothesis's settings of the API's fuzzing: no deadline (the machine is shared), nothing kept between runs,
    and no shrinking: the failing request is printed whole, and a failure stays as quick as a pass."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
