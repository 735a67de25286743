import datetime as dt

import pytest

from tests.api.admin.conftest import days_ago
from tests.issuing import add_sms_config
from tests.support import vectors


def _item(raw: dict) -> dict:
    body = {k: v for k, v in raw.items() if not k.endswith("_days_ago")}
    if "symptomDate_days_ago" in raw:
        body["symptomDate"] = days_ago(raw["symptomDate_days_ago"])
    return body


@pytest.mark.parametrize("entry", vectors("batch_issue_api"))
def test_batch_vectors(make_api, entry):
    api = make_api(allow_bulk_upload=True, allowed_test_types=2)
    resp = api.post("/api/batch-issue", {"codes": [_item(c) for c in entry["codes"]]})
    assert resp.status_code == entry["expected_status"]
    assert resp.json.get("errorCode", "") == entry["expected_error_code"]
    if "expected_error" in entry:
        assert resp.json["error"] == entry["expected_error"]
    items = resp.json.get("codes", [])
    assert [i.get("errorCode", "") for i in items] == entry["expected_item_error_codes"]
    assert all(i["padding"] == "" for i in items)


def test_batch_mixed_result_text_and_shapes(make_api):
    api = make_api(allow_bulk_upload=True, allowed_test_types=2)
    resp = api.post(
        "/api/batch-issue",
        {"codes": [{"testType": "confirmed"}, {"testType": "likely"}]},
    )
    assert resp.status_code == 400
    assert resp.json["error"] == (
        "Failed to issue 1 codes. Issued 1 codes successfully."
        "See each error status in the codes array."
    )
    good, bad = resp.json["codes"]
    assert len(good["code"]) == 8 and "error" not in good
    assert bad == {
        "padding": "",
        "uuid": "",
        "code": "",
        "expiresAt": "",
        "expiresAtTimestamp": 0,
        "error": "unsupported test type: likely",
        "errorCode": "unsupported_test_type",
    }


def test_batch_repeated_uuid_fails_the_later_item(make_api):
    api = make_api(allow_bulk_upload=True)
    uuid = "11111111-2222-4333-8444-555555555555"
    resp = api.post(
        "/api/batch-issue",
        {"codes": [{"testType": "confirmed", "uuid": uuid}] * 2},
    )
    assert resp.status_code == 409
    assert [c.get("errorCode", "") for c in resp.json["codes"]] == [
        "",
        "uuid_already_exists",
    ]


def test_batch_empty_list_and_disabled_realm(make_api):
    api = make_api(allow_bulk_upload=True)
    resp = api.post("/api/batch-issue", {"codes": []})
    assert resp.status_code == 200 and set(resp.json) == {"padding"}
    off = make_api("NoBulk")
    resp = off.post("/api/batch-issue", {"codes": []})
    assert resp.status_code == 400
    assert resp.json == {
        "error": "bulk issuing is not enabled on this realm",
        "errorCode": "",
        "error_code": "",
    }


def test_batch_bad_item_field_is_unparsable(make_api):
    api = make_api(allow_bulk_upload=True)
    resp = api.post("/api/batch-issue", {"codes": [{"testType": 5}]})
    assert (resp.status_code, resp.json["errorCode"]) == (400, "unparsable_request")


def test_batch_sms_failure_removes_only_that_code(make_api, fake_sms, conn, services):
    api = make_api(allow_bulk_upload=True)
    add_sms_config(conn, services, api.realm_id)
    fake_sms.mode = "queue_full"
    resp = api.post(
        "/api/batch-issue",
        {
            "codes": [
                {"testType": "confirmed", "phone": "2068675309"},
                {"testType": "confirmed"},
            ]
        },
    )
    assert resp.status_code == 400
    assert resp.json["errorCode"] == "sms_queue_full"
    assert [c.get("errorCode", "") for c in resp.json["codes"]] == [
        "sms_queue_full",
        "",
    ]
    count = conn.execute(
        "SELECT count(*) FROM verification_codes WHERE realm_id=%(r)s",
        {"r": api.realm_id},
    ).fetchone()[0]
    assert count == 1
    issued = conn.execute(
        "SELECT codes_issued FROM realm_stats_daily WHERE realm_id=%(r)s",
        {"r": api.realm_id},
    ).fetchone()[0]
    assert issued == 1


def test_batch_sends_sms_for_each_item(make_api, fake_sms, conn, services):
    api = make_api(allow_bulk_upload=True)
    add_sms_config(conn, services, api.realm_id)
    phones = ["2068675301", "2068675302", "2068675303"]
    resp = api.post(
        "/api/batch-issue",
        {"codes": [{"testType": "confirmed", "phone": p} for p in phones]},
    )
    assert resp.status_code == 200
    assert sorted(m.to for m in fake_sms.messages) == ["+1" + p for p in phones]


def test_check_status_and_expire(make_api, conn):
    api = make_api()
    issued = api.post("/api/issue", {"testType": "confirmed"}).json
    status = api.post("/api/checkcodestatus", {"uuid": issued["uuid"]})
    assert status.status_code == 200
    assert status.json["claimed"] is False
    assert status.json["expiresAtTimestamp"] == issued["expiresAtTimestamp"]
    assert set(status.json) == {
        "padding",
        "claimed",
        "expiresAtTimestamp",
        "longExpiresAtTimestamp",
    }
    expired = api.post("/api/expirecode", {"uuid": issued["uuid"]})
    assert expired.status_code == 200
    assert set(expired.json) == {
        "padding",
        "expiresAtTimestamp",
        "longExpiresAtTimestamp",
    }
    now = dt.datetime.now(dt.UTC).timestamp()
    assert abs(expired.json["expiresAtTimestamp"] - now) < 60
    assert expired.json["longExpiresAtTimestamp"] == expired.json["expiresAtTimestamp"]
    action, actor = conn.execute(
        "SELECT action, actor_id FROM audit_entries WHERE target_display = %(u)s"
        " AND action LIKE 'expired%%'",
        {"u": issued["uuid"]},
    ).fetchone()
    assert action == "expired verification code"
    assert actor == f"authorized_apps:{api.app_id}"


def test_expire_claimed_code_is_a_bare_400(make_api, conn):
    api = make_api()
    issued = api.post("/api/issue", {"testType": "confirmed"}).json
    conn.execute(
        "UPDATE verification_codes SET claimed = true WHERE uuid = %(u)s",
        {"u": issued["uuid"]},
    )
    resp = api.post("/api/expirecode", {"uuid": issued["uuid"]})
    assert resp.status_code == 400
    assert resp.json == {"error": "bad request", "errorCode": "", "error_code": ""}


@pytest.mark.parametrize("path", ["/api/checkcodestatus", "/api/expirecode"])
@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ('{"uuid": "nope"}', 404, "code_not_found"),
        ('{"uuid": "0e3b1fbe-5f3c-4d1c-9e1d-7c5b3a5c1f00"}', 404, "code_not_found"),
        ('{"uuid": 1}', 400, ""),
        ('{"uid": "x"}', 400, ""),
    ],
)
def test_status_and_expire_error_rows(make_api, path, body, status, code):
    api = make_api()
    resp = api.post(path, raw=body)
    assert (resp.status_code, resp.json["errorCode"]) == (status, code)
    if status == 404:
        assert (
            resp.json["error"] == "code not found, it may have expired and been removed"
        )


def test_batch_user_report_duplicate_is_an_item_409(make_api, conn, services):
    api = make_api(allow_bulk_upload=True, allow_admin_user_report=True)
    add_sms_config(conn, services, api.realm_id)
    item = {"testType": "user-report", "phone": "2068675399"}
    resp = api.post("/api/batch-issue", {"codes": [item, item]})
    assert resp.status_code == 409
    assert [c.get("errorCode", "") for c in resp.json["codes"]] == [
        "",
        "user_report_try_later",
    ]


def test_status_lookup_with_the_database_down_is_503(make_api):
    from api.admin.status import CodeStatusResource
    from db.pool import DatabaseUnavailable

    class DownSource:
        def connection(self):
            raise DatabaseUnavailable("down")

    api = make_api()
    app = api.client.app
    app.add_route("/api/checkcodestatus", CodeStatusResource(DownSource()))
    resp = api.post("/api/checkcodestatus", {"uuid": "x"})
    # design.md §5: a backing service down is 503 with Retry-After.
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "2"
    assert resp.json == {
        "error": "service temporarily unavailable",
        "errorCode": "internal_server_error",
        "error_code": "internal_server_error",
    }


def test_quota_store_failure_is_a_500(make_api, conn, services, fake_sms):
    import falcon.testing

    from api.admin.app import create_app
    from db.cache import BackendUnavailable
    from models.codes import sms
    from models.codes.issue import IssueService
    from models.codes.quota import RealmQuota

    class BrokenStore:
        def take(self, key, limit, window):
            raise BackendUnavailable("redis down")

    api = make_api(abuse_prevention_enabled=True)
    issuer = IssueService(
        services, sms.SmsClient(fake_sms.url, 1), quota=RealmQuota(BrokenStore(), b"k")
    )
    client = falcon.testing.TestClient(create_app(services, issuer=issuer))
    resp = client.simulate_post(
        "/api/issue",
        json={"testType": "confirmed"},
        headers={"X-API-Key": api.admin_key, "Content-Type": "application/json"},
    )
    assert resp.status_code == 500 and resp.json == {"error": "Internal Server Error"}
    count = conn.execute(
        "SELECT count(*) FROM verification_codes WHERE realm_id=%(r)s",
        {"r": api.realm_id},
    ).fetchone()[0]
    assert count == 0


def test_unreadable_sms_config_is_a_500(make_api, conn, services):
    from db.queries.codes import sms as sms_q

    api = make_api()
    sms_q.upsert_realm_sms_config(
        conn,
        realm_id=api.realm_id,
        account_sid="AC1",
        sealed_auth_token="not-sealed",
        from_number="+15005550006",
    )
    resp = api.post("/api/issue", {"testType": "confirmed", "phone": "2068675309"})
    assert resp.status_code == 500 and resp.json == {"error": "Internal Server Error"}
