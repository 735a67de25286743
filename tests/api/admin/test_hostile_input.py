"""Hostile bodies on the admin API answer 400 with unparsable_request, never 500."""

import json

import pytest

NESTED = b'{"padding":' + b"[" * 5000 + b"]" * 5000 + b', "testType": "confirmed"}'
BIG_INT = b'{"testType": "confirmed", "tzOffset": ' + b"9" * 5000 + b"}"

BAD_BODIES = {
    "issuer id too long": json.dumps(
        {"testType": "confirmed", "externalIssuerID": "x" * 256}
    ).encode(),
    "issuer id with NUL": b'{"testType": "confirmed", "externalIssuerID": "a\\u0000b"}',
    "tzOffset NaN": b'{"testType": "confirmed", "tzOffset": NaN}',
    "tzOffset 1e400": b'{"testType": "confirmed", "tzOffset": 1e400}',
    "tzOffset -Infinity": b'{"testType": "confirmed", "tzOffset": -Infinity}',
    "lone surrogate": b'{"testType": "confirmed", "uuid": "\\ud800"}',
    "invalid UTF-8": b'{"testType": "confirmed", "externalIssuerID": "\xff"}',
    "nested 5000 deep": NESTED,
    "5000-digit integer": BIG_INT,
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_issue_refuses_hostile_bodies(make_api, name):
    resp = make_api().post("/api/issue", raw=BAD_BODIES[name])
    assert resp.status_code == 400, resp.text
    assert resp.json["errorCode"] == "unparsable_request"


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_batch_issue_refuses_hostile_items(make_api, name):
    api = make_api(allow_bulk_upload=True)
    item = BAD_BODIES[name]
    resp = api.post("/api/batch-issue", raw=b'{"codes": [' + item + b"]}")
    assert resp.status_code == 400, resp.text
    assert resp.json["errorCode"] == "unparsable_request"


def test_issuer_id_of_exactly_255_characters_is_accepted(make_api):
    resp = make_api().post(
        "/api/issue", {"testType": "confirmed", "externalIssuerID": "x" * 255}
    )
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize("path", ["/api/checkcodestatus", "/api/expirecode"])
def test_uuid_lookups_refuse_hostile_bodies(make_api, path):
    # These endpoints carry no errorCode on binding failures (protocol §5.3).
    resp = make_api().post(path, raw=b'{"uuid": "\\ud800\\u0000"}')
    assert resp.status_code == 400
    assert resp.json["errorCode"] == ""
