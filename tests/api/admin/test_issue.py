import dataclasses

import falcon.testing
import pytest

from api.admin.app import create_app
from tests.api.admin.conftest import days_ago
from tests.issuing import add_sms_config, make_key
from tests.support import vectors


def _request(raw: dict) -> dict:
    body = {k: v for k, v in raw.items() if not k.endswith("_days_ago")}
    for name in ("symptomDate", "testDate"):
        if f"{name}_days_ago" in raw:
            body[name] = days_ago(raw[f"{name}_days_ago"])
    return body


@pytest.mark.parametrize("entry", vectors("issue_api"))
def test_issue_api_vectors(make_api, entry):
    api = make_api(
        allow_bulk_upload=True,
        allow_generated_sms=True,
        allowed_test_types=2,
        maintenance_mode=entry["realm_maintenance_mode"],
    )
    resp = api.post("/api/issue", _request(entry["request"]))
    assert resp.status_code == entry["expected_status"]
    if entry["expected_status"] == 200:
        assert len(resp.json["code"]) == 8
        assert len(resp.json["padding"]) >= 1368
        if entry["request"].get("onlyGenerateSMS"):
            assert resp.json["phone"] == "+15005550000"
            assert resp.json["generatedSMS"]
        else:
            assert "generatedSMS" not in resp.json and "phone" not in resp.json
    else:
        assert resp.json["errorCode"] == entry["expected_error_code"]
        assert resp.json["error_code"] == entry["expected_error_code"]


def test_issue_response_shape(make_api):
    api = make_api()
    resp = api.post(
        "/api/issue", {"testType": "confirmed", "externalIssuerID": "e1", "padding": 5}
    )
    assert resp.status_code == 200
    body = resp.json
    assert set(body) == {
        "padding",
        "uuid",
        "code",
        "expiresAt",
        "expiresAtTimestamp",
        "longExpiresAt",
        "longExpiresAtTimestamp",
    }
    assert body["expiresAt"].endswith(" UTC")
    assert body["longExpiresAtTimestamp"] == body["expiresAtTimestamp"]
    assert resp.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ('{"testType": "confirmed", "bogus": 1}', 400, "unparsable_request"),
        ('{"testType": 1}', 400, "unparsable_request"),
        ('{"onlyGenerateSMS": "true"}', 400, "unparsable_request"),
        ("", 400, "unparsable_request"),
        ('{"testType": "nope"}', 400, "invalid_test_type"),
        ('{"testType": "negative"}', 400, "unsupported_test_type"),
        ('{"testType": "user-report"}', 400, "unsupported_test_type"),
        (
            '{"testType": "confirmed", "symptomDate": "2020-13-01"}',
            400,
            "unparsable_request",
        ),
        ('{"testType": "confirmed", "testDate": "1999-01-01"}', 400, "invalid_date"),
        (
            '{"testType": "confirmed", "phone": "not a phone"}',
            400,
            "phone_number_invalid",
        ),
        ('{"testType": "confirmed", "phone": "2068675309"}', 400, ""),
        (
            '{"testType": "confirmed", "onlyGenerateSMS": true}',
            400,
            "unparsable_request",
        ),
        ('{"testType": "confirmed", "uuid": "not-a-uuid"}', 400, "unparsable_request"),
    ],
)
def test_issue_error_rows(make_api, body, status, code):
    api = make_api(allowed_test_types=6)
    resp = api.post("/api/issue", raw=body)
    assert resp.status_code == status, resp.text
    assert resp.json["errorCode"] == code


def test_content_type_must_be_json(make_api):
    api = make_api()
    resp = api.post(
        "/api/issue",
        raw='{"testType":"confirmed"}',
        headers={"Content-Type": "text/plain"},
    )
    assert resp.status_code == 400
    assert resp.json["error"] == "content-type is not application/json"


def test_generated_sms_requires_a_phone(make_api):
    api = make_api(allow_generated_sms=True)
    resp = api.post("/api/issue", {"testType": "confirmed", "onlyGenerateSMS": True})
    assert resp.status_code == 400 and resp.json["errorCode"] == ""
    assert resp.json["error"].startswith("generated sms requested")


def test_missing_date_when_required(make_api):
    api = make_api(require_date=True)
    resp = api.post("/api/issue", {"testType": "confirmed"})
    assert (resp.status_code, resp.json["errorCode"]) == (400, "missing_date")


def test_reused_uuid_is_409(make_api):
    api = make_api()
    first = api.post("/api/issue", {"testType": "confirmed"})
    again = api.post(
        "/api/issue", {"testType": "confirmed", "uuid": first.json["uuid"]}
    )
    assert again.status_code == 409
    assert again.json["errorCode"] == "uuid_already_exists"


def test_keys_of_other_types_are_401(make_api):
    api = make_api()
    resp = api.post("/api/issue", {"testType": "confirmed"}, key=api.stats_key)
    assert resp.status_code == 401
    resp = api.post("/api/issue", {"testType": "confirmed"}, key="nope")
    assert resp.status_code == 401


def test_server_maintenance_is_429_before_parsing(make_api, services):
    api = make_api()
    down = dataclasses.replace(
        services, settings=services.settings.replace(maintenance_mode=True)
    )
    client = falcon.testing.TestClient(create_app(down))
    for path in ("/api/issue", "/api/batch-issue"):
        resp = client.simulate_post(
            path,
            body="garbage",
            headers={"X-API-Key": api.admin_key, "Content-Type": "application/json"},
        )
        assert resp.status_code == 429
        assert resp.json["errorCode"] == "maintenance_mode"


def test_sms_sent_and_failures_mapped(make_api, fake_sms, conn, services):
    api = make_api()
    add_sms_config(conn, services, api.realm_id)
    ok = api.post("/api/issue", {"testType": "confirmed", "phone": "+1 206 867 5309"})
    assert ok.status_code == 200 and len(fake_sms.messages) == 1
    fake_sms.mode = "queue_full"
    full = api.post("/api/issue", {"testType": "confirmed", "phone": "2068675309"})
    assert (full.status_code, full.json["errorCode"]) == (400, "sms_queue_full")
    fake_sms.mode = "invalid_number"
    bad = api.post("/api/issue", {"testType": "confirmed", "phone": "2068675309"})
    assert (bad.status_code, bad.json["errorCode"]) == (400, "phone_number_invalid")
    fake_sms.mode, fake_sms.hang_seconds = "hang", 2
    slow = api.post("/api/issue", {"testType": "confirmed", "phone": "2068675309"})
    assert (slow.status_code, slow.json["errorCode"]) == (400, "sms_failure")
    codes = conn.execute(
        "SELECT count(*) FROM verification_codes WHERE realm_id = %(r)s",
        {"r": api.realm_id},
    ).fetchone()[0]
    assert codes == 1


def test_internal_errors_hide_the_reason(make_api, conn, services):
    api = make_api(use_authenticated_sms=True)
    add_sms_config(conn, services, api.realm_id)
    resp = api.post("/api/issue", {"testType": "confirmed", "phone": "2068675309"})
    assert resp.status_code == 500
    assert resp.json == {"error": "Internal Server Error"}


def test_admin_user_report_duplicate_phone_is_a_silent_200(make_api, conn, services):
    api = make_api(allow_admin_user_report=True)
    add_sms_config(conn, services, api.realm_id)
    body = {"testType": "user-report", "phone": "2068675309"}
    assert api.post("/api/issue", body).status_code == 200
    again = api.post("/api/issue", body)
    assert again.status_code == 200
    assert set(again.json) == {"padding", "expiresAt", "expiresAtTimestamp"}
    assert again.json["expiresAt"] == "" and again.json["expiresAtTimestamp"] == 0


def test_quota_exceeded_is_429_with_headers(make_api):
    api = make_api(abuse_prevention_enabled=True, abuse_prevention_limit=2)
    for remaining in ("1", "0"):
        resp = api.post("/api/issue", {"testType": "confirmed"})
        assert resp.status_code == 200
        assert resp.headers["X-Quota-Remaining"] == remaining
    resp = api.post("/api/issue", {"testType": "confirmed"})
    assert resp.status_code == 429
    assert resp.json["errorCode"] == "quota_exceeded"
    assert resp.headers["X-Quota-Limit"] == "2"
    issued = api.conn.execute(
        "SELECT count(*) FROM verification_codes WHERE realm_id = %(r)s",
        {"r": api.realm_id},
    ).fetchone()[0]
    assert issued == 2


def test_wrong_method_and_unknown_path(make_api):
    api = make_api()
    assert api.client.simulate_get("/api/issue").status_code == 405
    assert api.client.simulate_get("/api/nope").status_code == 404


def test_other_realm_keys_see_nothing(make_api, conn, services):
    api = make_api()
    issued = api.post("/api/issue", {"testType": "confirmed"}).json["uuid"]
    other = make_api("OtherRealm")
    resp = other.post("/api/checkcodestatus", {"uuid": issued})
    assert resp.status_code == 404
    key, _ = make_key(conn, services, api.realm_id, name="second")
    assert (
        api.post("/api/checkcodestatus", {"uuid": issued}, key=key).status_code == 200
    )
