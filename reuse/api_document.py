"""What the OpenAPI document adds to each operation: the errors it answers, and the headers of retries and versions.

Routers declare their successes; the errors come from the rules every operation shares (reuse/api.py), so they are
written here once, from what the operation is: signed in or not, with an id in its path, with a body, a write. A
client generated from the document then knows each status and reads its body `{"detail", "code"}` (with `errors`
per field on 422).
"""

from reuse.api_retries import HEADER as IDEMPOTENCY_HEADER

ERROR = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What is wrong, in the person's language."},
        "code": {"type": "string", "description": "Stable machine code (not_found, unavailable, invalid…)."},
    },
    "required": ["detail", "code"],
}
INVALID = {
    "title": "InvalidOut",
    "type": "object",
    "properties": {
        **ERROR["properties"],
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail", "code"],
}
WHY = {
    "400": "Malformed request: body not JSON or not UTF-8, a NUL character or a lone surrogate in a text (body or "
    "query), bad Idempotency-Key (code invalid, invalid_idempotency_key).",
    "401": "No valid session or bearer token: missing, revoked or expired (code not_authenticated).",
    "403": "A rule forbids it (codes forbidden, csrf_failed, not_eligible, cap_reached…).",
    "404": "Missing, or not yours: the two are never told apart (code not_found).",
    "409": "The object's state forbids it, or the same Idempotency-Key is still running (codes conflict, "
    "illegal_transition, unavailable, request_in_progress).",
    "412": "If-Match names a version the object no longer has (code precondition_failed).",
    "413": "Body or file too large (code too_large).",
    "422": "Invalid input, per field in `errors` (codes invalid, idempotency_key_reused…). A body field the "
    "operation does not read is refused too, never ignored (its schema has additionalProperties: false).",
    "429": "Too many writes: wait Retry-After seconds (code rate_limited).",
    "503": "A service Rebond depends on is unreachable: nothing done, send again after Retry-After.",
}
UNSAFE = ("post", "put", "patch", "delete")
# If-Match is offered where a script overwrites fields it read: PATCH /devices/{id} (and the device's transition).
# No other resource has a PATCH: a lot, a claim, a household change only through transitions (submit, cancel,
# handover...), which their lifecycle refuses from a state they no longer have (409 illegal_transition), so a
# stale read cannot overwrite anything there; a new PATCH operation documents 412 and gets the header.
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of the object as read: a change made since is refused with 412, not overwritten.",
}
RETRY = {
    "name": IDEMPOTENCY_HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Send a write again under the same key after a timeout: the first answer is replayed (header "
    "Idempotent-Replayed: true) and nothing is written twice. Kept 24 hours, per person.",
}
ETAG = {"ETag": {"description": "This version of the object, for If-Match.", "schema": {"type": "string"}}}


def _body_fields(operation: dict, schemas: dict) -> set[str]:
    """The top-level fields of the operation's body (JSON or an upload's form)."""
    names = set()
    for media in operation.get("requestBody", {}).get("content", {}).values():
        schema = media.get("schema", {})
        if "$ref" in schema:
            schema = schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
        names |= set(schema.get("properties", {}))
    return names


def _statuses(path: str, method: str, operation: dict, schemas: dict) -> set[str]:
    signed_in = bool(operation.get("security"))
    statuses = set()
    if signed_in:
        statuses |= {"401", "403"}
    # An id in the path, or in the body (a lot's organisation, a claim's device): not yours is not found.
    if "{" in path or any(name.endswith(("_id", "_ids")) for name in _body_fields(operation, schemas)):
        statuses.add("404")
    if operation.get("parameters") or "requestBody" in operation:
        statuses.add("422")
    if "requestBody" in operation:
        statuses |= {"400", "413"}
    if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
        statuses.add("400")  # a NUL or a lone surrogate in a query's text (reuse/api_input.py)
    if method in UNSAFE and signed_in:
        statuses |= {"400", "409", "422", "429", "503"}
    return statuses


def document_errors(document: dict) -> dict:
    """Add to `document` (in place) the shared errors and headers of every operation; returns it."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorOut"], schemas["InvalidOut"] = ERROR, INVALID
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            # Ninja keys them by int; the JSON document by string: one key per status.
            responses = operation["responses"] = {
                str(status): r for status, r in operation["responses"].items()
            }
            for status in sorted(
                _statuses(path, method, operation, schemas) | {s for s in responses if s in WHY}
            ):
                name = "InvalidOut" if status == "422" else "ErrorOut"
                responses[status] = {
                    "description": WHY[status],
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
                }
            if method in UNSAFE and operation.get("security"):
                operation.setdefault("parameters", []).append(RETRY)
            if "412" in responses:
                operation.setdefault("parameters", []).append(IF_MATCH)
                for versioned in (operation, operations.get("get")):
                    if versioned and "200" in versioned["responses"]:
                        versioned["responses"]["200"].setdefault("headers", {}).update(ETAG)
    return document
