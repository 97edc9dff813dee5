"""The OpenAPI document names each schema by its class name: two schemas of the same name would be published as
one, and a client would read the fields of the other (the lot report's erasure summary was once shown with the
fields of a workshop's erasure record)."""

from collections import defaultdict

from ninja import Schema

from reuse.api import api

PROJECT = ("reuse.", "donations.", "inventory.", "cms.")


def project_schemas(cls=Schema):
    for subclass in cls.__subclasses__():
        if subclass.__module__.startswith(PROJECT):
            yield subclass
        yield from project_schemas(subclass)


def test_no_two_schemas_of_the_api_share_a_name():
    api.get_openapi_schema()  # every router is mounted and every schema module imported
    by_name = defaultdict(set)
    for schema in project_schemas():
        by_name[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    assert {name: places for name, places in by_name.items() if len(places) > 1} == {}


def test_the_lot_report_publishes_its_own_erasure_summary():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(components["ErasureSummaryOut"]["properties"]) == {
        "method",
        "tool",
        "date",
        "verified",
        "media_count",
        # Added after: each medium's latest erasure.
        "media",
    }
    assert "media_serial" in components["ErasureOut"]["properties"]
