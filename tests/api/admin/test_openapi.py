"""The OpenAPI document matches the routes and the bodies the app returns."""

import json
import re

import pytest

from api.admin.openapi import SPEC_PATH

SPEC = json.loads(SPEC_PATH.read_text())
_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
}


def validate(value, schema, path="$"):
    """Check ``value`` against the subset of JSON Schema the document uses."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return validate(value, SPEC["components"]["schemas"][name], path)
    if "oneOf" in schema:
        errors = []
        for option in schema["oneOf"]:
            try:
                validate(value, option, path)
                return None
            except AssertionError as ex:
                errors.append(str(ex))
        raise AssertionError(f"{path}: matches no option: {errors}")
    types = schema.get("type")
    if types:
        allowed = [types] if isinstance(types, str) else types
        ok = any(
            isinstance(value, _TYPES[t])
            and not (t == "integer" and isinstance(value, bool))
            for t in allowed
        )
        assert ok, f"{path}: {value!r} is not {allowed}"
    if "enum" in schema:
        assert value in schema["enum"], f"{path}: {value!r} not in enum"
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            assert name in value, f"{path}: missing {name}"
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(props)
            assert not extra, f"{path}: unexpected {extra}"
        for name, item in value.items():
            if name in props:
                validate(item, props[name], f"{path}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            validate(item, schema["items"], f"{path}[{index}]")
    return None


def _app_routes(app):
    found = {}

    def walk(nodes):
        for node in nodes:
            if node.method_map:
                methods = {
                    m.lower()
                    for m, responder in node.method_map.items()
                    if not getattr(responder, "__name__", "").startswith("method_not")
                    and m not in ("OPTIONS",)
                }
                template = re.sub(r"\{(\w+):\w+\}", r"{\1}", node.uri_template)
                found[template] = methods
            walk(node.children)

    walk(app._router._roots)
    return found


def test_document_is_openapi_3(make_api):
    assert SPEC["openapi"].startswith("3.")
    resp = make_api().client.simulate_get("/openapi.json")
    assert resp.status_code == 200 and resp.json == SPEC


def test_every_route_is_documented_and_every_documented_route_exists(make_api):
    routes = _app_routes(make_api().client.app)
    documented = {path: set(ops) for path, ops in SPEC["paths"].items()}
    assert routes == documented


def _check(resp, path, status, method="post"):
    """The answer has the expected status, and the document describes its body."""
    assert resp.status_code == status, resp.text
    responses = SPEC["paths"][path][method]["responses"]
    spec = responses[str(resp.status_code)]
    schema = spec["content"]["application/json"]["schema"]
    validate(resp.json, schema)


def test_admin_responses_match_the_document(make_api):
    api = make_api(
        allow_bulk_upload=True, allowed_test_types=2, allow_generated_sms=True
    )
    ok = api.post("/api/issue", {"testType": "confirmed"})
    _check(ok, "/api/issue", 200)
    generated = api.post(
        "/api/issue",
        {"testType": "confirmed", "phone": "2068675309", "onlyGenerateSMS": True},
    )
    _check(generated, "/api/issue", 200)
    _check(api.post("/api/issue", {"testType": "likely"}), "/api/issue", 400)
    _check(
        api.post("/api/issue", {"testType": "confirmed", "uuid": ok.json["uuid"]}),
        "/api/issue",
        409,
    )
    for body, status in (
        ({"codes": [{"testType": "confirmed"}]}, 200),
        ({"codes": [{"testType": "confirmed"}, {"testType": "x"}]}, 400),
        ({"codes": [{"testType": "confirmed"}] * 11}, 400),
    ):
        _check(api.post("/api/batch-issue", body), "/api/batch-issue", status)
    _check(
        api.post("/api/checkcodestatus", {"uuid": ok.json["uuid"]}),
        "/api/checkcodestatus",
        200,
    )
    _check(api.post("/api/checkcodestatus", {"uuid": "x"}), "/api/checkcodestatus", 404)
    _check(
        api.post("/api/expirecode", {"uuid": ok.json["uuid"]}), "/api/expirecode", 200
    )


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in SPEC["paths"]
        if p.startswith("/api/stats/") and "{object_id}" not in p
    ],
)
def test_stats_responses_match_the_document(make_api, path):
    api = make_api()
    api.post("/api/issue", {"testType": "confirmed", "externalIssuerID": "x"})
    resp = api.get(path.replace("{fmt}", "json"))
    _check(resp, path, 200, "get")


def test_per_object_stats_match_the_document(make_api):
    api = make_api()
    path = "/api/stats/realm/api-keys/{object_id}.{fmt}"
    resp = api.get(f"/api/stats/realm/api-keys/{api.app_id}.json")
    _check(resp, path, 200, "get")
