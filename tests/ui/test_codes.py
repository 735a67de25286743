"""Code pages: issue, batch issue, status and expire, with permissions."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from models.accounts.rbac import Permission
from tests.issuing import add_sms_config


def _issue(client, **body):
    return client.json("/codes/issue", {"testType": "confirmed", **body})


def test_issue_returns_code_and_stores_only_its_hmac(signed_in, conn, clock):
    result = _issue(signed_in, symptomDate=clock.now().date().isoformat(), padding="x")
    assert result.status_code == 200, result.text
    body = result.json
    assert len(body["code"]) == 8 and body["code"].isdigit()
    assert body["padding"] == "x"
    assert body["expiresAtTimestamp"] == body["longExpiresAtTimestamp"]
    row = conn.execute(
        "SELECT code, issuing_user_id, test_type FROM verification_codes WHERE uuid = %s",
        (body["uuid"],),
    ).fetchone()
    assert row[0] != body["code"] and row[1] is not None and row[2] == "confirmed"
    stats = conn.execute("SELECT codes_issued FROM user_stats").fetchone()
    assert stats == (1,)
    audit = conn.execute(
        "SELECT actor_display FROM audit_entries WHERE action = 'issued verification code'"
    ).fetchone()
    assert audit == ("Demo realm admin (demo-admin@example.com)",)


def test_issue_rejects_date_outside_window(signed_in, clock):
    old = (clock.now() - dt.timedelta(days=40)).date().isoformat()
    result = _issue(signed_in, symptomDate=old)
    assert result.status_code == 400
    assert result.json["errorCode"] == "invalid_date"


def test_issue_rejects_unknown_test_type(signed_in):
    result = _issue(signed_in, testType="bogus")
    assert result.json["errorCode"] == "invalid_test_type"


def test_issue_with_phone_but_no_sms_config_is_refused(signed_in):
    result = _issue(signed_in, phone="+12065550123")
    assert result.status_code == 400


def test_issue_in_maintenance_mode(signed_in, conn, demo):
    conn.execute(
        "UPDATE realms SET maintenance_mode = true WHERE id = %s", (demo.realm_id,)
    )
    result = _issue(signed_in)
    assert result.status_code == 429
    assert result.json["errorCode"] == "maintenance_mode"


def test_issue_needs_json(signed_in):
    result = signed_in.form("/codes/issue", {"testType": "confirmed"})
    assert result.status_code == 415


@pytest.fixture
def ui_env(fake_sms):
    return {"DEV_MODE": "true", "ENCV_SMS_API_URL": fake_sms.url}


@pytest.fixture
def with_sms(conn, ui_services, demo):
    """Give the demo realm a Twilio-compatible SMS configuration."""
    add_sms_config(conn, ui_services, demo.realm_id)


def test_issue_with_phone_sends_an_sms(signed_in, with_sms, fake_sms):
    result = _issue(signed_in, phone="(206) 555-0123")
    assert result.status_code == 200, result.text
    (message,) = fake_sms.messages
    assert message.to == "+12065550123"
    assert result.json["longExpiresAtTimestamp"] > result.json["expiresAtTimestamp"]


def _rows(n, start=0):
    return [
        {
            "phone": f"+1206555{(start + i):04d}",
            "testType": "confirmed",
            "testDate": "",
            "uuid": str(uuid.uuid4()),
        }
        for i in range(n)
    ]


def test_batch_issue_all_good(signed_in, with_sms, fake_sms, conn):
    result = signed_in.json("/codes/batch-issue", {"codes": _rows(10)})
    assert result.status_code == 200, result.text
    assert all(entry["code"] for entry in result.json["codes"])
    count = conn.execute("SELECT count(*) FROM verification_codes").fetchone()[0]
    assert count == 10 and len(fake_sms.messages) == 10


def test_batch_issue_limits_size(signed_in, with_sms):
    result = signed_in.json("/codes/batch-issue", {"codes": _rows(11)})
    assert result.status_code == 400
    assert result.json["error"] == "batch size limit [10] exceeded"


def test_batch_reused_uuid_fails_alone(signed_in, with_sms):
    rows = _rows(3)
    assert signed_in.json("/codes/batch-issue", {"codes": rows[:1]}).status_code == 200
    result = signed_in.json("/codes/batch-issue", {"codes": rows})
    assert result.status_code == 409
    assert result.json["errorCode"] == "uuid_already_exists"
    assert result.json["error"] == (
        "Failed to issue 1 codes. Issued 2 codes successfully."
        "See each error status in the codes array."
    )
    codes = result.json["codes"]
    assert codes[0]["errorCode"] == "uuid_already_exists"
    assert codes[1]["code"] and codes[2]["code"]


def test_bulk_disabled_on_realm(signed_in, conn, demo):
    conn.execute(
        "UPDATE realms SET allow_bulk_upload = false WHERE id = %s", (demo.realm_id,)
    )
    assert signed_in.json("/codes/batch-issue", {"codes": _rows(1)}).status_code == 400
    assert signed_in.get("/codes/bulk-issue").status_code == 303


def test_status_show_and_expire(signed_in, conn, clock):
    issued = _issue(signed_in).json
    page = signed_in.get(f"/codes/{issued['uuid']}")
    assert page.status_code == 200
    assert "Not yet claimed" in page.text and "Invalidate code now" in page.text
    assert "Demo realm admin" in page.text
    upper = signed_in.get(f"/codes/{issued['uuid'].upper()}")
    assert upper.status_code == 303
    assert upper.headers["Location"].endswith(issued["uuid"])
    expired = signed_in.form(f"/codes/{issued['uuid']}/expire", {"_method": "PATCH"})
    # Post/redirect/get: reloading the result must not send the PATCH again.
    assert expired.status_code == 303
    assert expired.headers["Location"].endswith(f"/codes/{issued['uuid']}")
    shown = signed_in.get(f"/codes/{issued['uuid']}")
    assert "Expired code." in shown.text and "Invalidate code now" not in shown.text
    row = conn.execute(
        "SELECT expires_at, long_expires_at FROM verification_codes WHERE uuid = %s",
        (issued["uuid"],),
    ).fetchone()
    assert row == (clock.now(), clock.now())
    audit = conn.execute(
        "SELECT action FROM audit_entries WHERE action = 'expired verification code'"
    ).fetchall()
    assert len(audit) == 1
    recent = signed_in.get("/codes/status")
    assert issued["uuid"] in recent.text


def test_status_of_unknown_code(signed_in):
    result = signed_in.get(f"/codes/{uuid.uuid4()}")
    assert result.status_code == 422
    assert "code not found" in result.text
    assert signed_in.get("/codes/not-a-uuid").status_code == 422


def test_expire_unknown_code_redirects_with_the_error(signed_in, conn):
    result = signed_in.form(f"/codes/{uuid.uuid4()}/expire", {"_method": "PATCH"})
    assert result.status_code == 303
    assert result.headers["Location"].endswith("/codes/status")
    assert "code not found" in signed_in.get("/codes/status").text
    assert not conn.execute(
        "SELECT 1 FROM audit_entries WHERE action = 'expired verification code'"
    ).fetchall()


def test_expire_claimed_code_is_refused(signed_in, conn):
    issued = _issue(signed_in).json
    conn.execute(
        "UPDATE verification_codes SET claimed = true WHERE uuid = %s",
        (issued["uuid"],),
    )
    result = signed_in.form(f"/codes/{issued['uuid']}/expire", {"_method": "PATCH"})
    assert result.status_code == 303
    assert "code already claimed" in signed_in.get(f"/codes/{issued['uuid']}").text


@pytest.mark.parametrize(
    ("method", "path", "needed"),
    [
        ("GET", "/codes/issue", Permission.CODE_ISSUE),
        ("GET", "/codes/bulk-issue", Permission.CODE_BULK_ISSUE),
        ("GET", "/codes/status", Permission.CODE_READ),
        (
            "PATCH",
            "/codes/0b9d6ab2-0000-4000-8000-000000000001/expire",
            Permission.CODE_EXPIRE,
        ),
    ],
)
def test_each_route_checks_its_permission(signed_in, conn, demo, method, path, needed):
    from models.accounts.rbac import ALL_BITS

    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (
            ALL_BITS & ~needed & ~Permission.CODE_BULK_ISSUE
            if needed == Permission.CODE_ISSUE
            else ALL_BITS & ~needed,
            demo.realm_id,
        ),
    )
    if method == "GET":
        result = signed_in.get(path)
    else:
        result = signed_in.form(path, {"_method": method})
    assert result.status_code == 401
    assert "Unauthorized" in result.text


def test_json_without_permission_is_401_json(signed_in, conn, demo):
    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (int(Permission.CODE_READ), demo.realm_id),
    )
    result = _issue(signed_in)
    assert result.status_code == 401 and result.json == {"error": "unauthorized"}


def test_anonymous_is_sent_to_sign_in(browser, demo):
    assert browser.get("/codes/issue").headers["Location"].endswith("/")
    assert browser.json("/codes/issue", {}, csrf=False).status_code == 401


def test_issue_page_offers_phone_and_templates_with_sms(signed_in, with_sms):
    page = signed_in.get("/codes/issue")
    assert 'id="phone"' in page.text
    assert '<option value="User Report"' in page.text
    assert 'value="user-report"' not in page.text


def test_issue_page_without_sms_has_no_phone(signed_in):
    page = signed_in.get("/codes/issue")
    assert 'id="phone"' not in page.text
    bulk = signed_in.get("/codes/bulk-issue")
    assert 'id="csv" accept=".csv,text/csv" disabled' in bulk.text
    assert "needs an SMS provider" in bulk.text
