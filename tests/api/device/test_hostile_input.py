"""Hostile bodies on the device API answer 400 with the endpoint's code, never 500."""

import json

import pytest

BAD_BODIES = {
    "lone surrogate": b'{"code": "\\ud800"}',
    "NUL": b'{"code": "1234\\u0000"}',
    "too long": json.dumps({"code": "1" * 65}).encode(),
    "nested 5000 deep": b'{"code": "1", "padding":' + b'{"a":' * 5000,
    "5000-digit integer": b'{"code": "1", "padding": ' + b"7" * 5000 + b"}",
    "NaN": b'{"code": "1", "padding": NaN}',
    "Infinity": b'{"code": "1", "padding": 1e400}',
    "invalid UTF-8": b'{"code": "\xc3\x28"}',
}


def post_raw(device, path, body: bytes):
    headers = {"X-API-Key": device.api_key, "Content-Type": "application/json"}
    return device.client.simulate_post(path, body=body, headers=headers)


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_verify_refuses_hostile_bodies(device, name):
    resp = post_raw(device, "/api/verify", BAD_BODIES[name])
    assert resp.status_code == 400, resp.text
    assert resp.json["errorCode"] == "unparsable_request"


def test_deep_nesting_is_refused_before_the_decoder_recurses(device):
    body = b'{"code": "1", "padding":' + b"[" * 5000 + b"]" * 5000 + b"}"
    resp = post_raw(device, "/api/verify", body)
    assert resp.status_code == 400
    assert "nested" in resp.json["error"]


def test_certificate_keeps_its_own_error_code(device):
    resp = post_raw(device, "/api/certificate", b'{"token": "\\udfff"}')
    assert resp.status_code == 400
    assert resp.json["errorCode"] == "token_invalid"


def test_user_report_refuses_a_nan_offset(device):
    resp = post_raw(device, "/api/user-report", b'{"tzOffset": NaN}')
    assert resp.status_code == 400
    assert resp.json["errorCode"] == "unparsable_request"
