"""The OpenAPI document matches the app: routes, methods, request fields, examples."""

from __future__ import annotations

import json
import re

import pytest
from falcon.inspect import inspect_app

from api.common.binding import parse_object
from api.device import certificate, user_report, verify
from api.device.app import create_app
from api.device.openapi import load_document

REQUEST_FIELDS = {
    "/api/verify": verify.FIELDS,
    "/api/certificate": certificate.FIELDS,
    "/api/user-report": user_report.FIELDS,
}


def _app_routes(services) -> set[tuple[str, str]]:
    routes = set()
    for route in inspect_app(create_app(services)).routes:
        path = re.sub(r"\{(\w+)(:[^}]*)?\}", r"{\1}", route.path)
        for method in route.methods:
            if not method.internal:
                routes.add((path, method.method.lower()))
    return routes


def _doc_routes(doc) -> set[tuple[str, str]]:
    return {(path, method) for path, ops in doc["paths"].items() for method in ops}


def test_every_route_is_documented_and_nothing_else(services):
    assert _app_routes(services) == _doc_routes(load_document())


def _schema(doc, ref):
    return doc["components"]["schemas"][ref.rsplit("/", 1)[1]]


@pytest.mark.parametrize("path", sorted(REQUEST_FIELDS))
def test_request_schemas_name_exactly_the_bound_fields(path):
    doc = load_document()
    body = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    schema = _schema(doc, body["schema"]["$ref"])
    assert set(schema["properties"]) == set(REQUEST_FIELDS[path])
    assert schema["additionalProperties"] is False
    for example in body["examples"].values():
        bound = parse_object(
            json.dumps(example["value"]).encode(), REQUEST_FIELDS[path]
        )
        assert set(bound) == set(example["value"])


def test_documented_error_codes_exist():
    from models.errors import ErrorCode

    text = json.dumps(load_document())
    for code in re.findall(r"`([a-z_]+)`", text):
        if code.endswith(("_error", "_invalid", "_expired", "_type", "_mode")):
            assert code in {c.value for c in ErrorCode}, code


def test_the_document_is_served(device):
    resp = device.client.simulate_get("/openapi.json")
    assert resp.status_code == 200 and resp.json["openapi"].startswith("3.")
