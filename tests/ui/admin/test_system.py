"""/admin user-report purge, mobile apps, SMS and email configs, caches, info."""

from __future__ import annotations

import base64

from models.codes.issue import PHONE_HMAC
from tests.support import TEST_KEK
from tests.ui.admin.conftest import audit_actions, audit_count


def test_purge_a_phone_from_user_reports(admin, conn, ui_services):
    phone_hash = ui_services.secrets.hmac_first(conn, PHONE_HMAC, "+12065550123")
    conn.execute(
        "INSERT INTO user_reports (phone_hash, nonce) VALUES (%s, '')", (phone_hash,)
    )
    result = admin.form(
        "/admin/user-report",
        {"_method": "DELETE", "phone_number[full]": "+1 206-555-0123"},
    )
    assert result.status_code == 303
    assert conn.execute("SELECT count(*) FROM user_reports").fetchone() == (0,)
    assert "Successfully purged" in admin.get("/admin/user-report").text
    assert audit_actions(conn, 0) == ["purged user report phone"]
    # Nothing stored about the phone itself in the log.
    assert "2065550123" not in str(
        conn.execute("SELECT target_display, diff FROM audit_entries").fetchall()
    )


def test_purge_refuses_a_number_it_cannot_read(admin, conn):
    before = audit_count(conn)
    result = admin.form(
        "/admin/user-report", {"_method": "DELETE", "phone_number[full]": "206555"}
    )
    assert result.status_code == 422 and "Failed to decode phone number" in result.text
    assert audit_count(conn) == before


def test_mobile_apps_of_every_realm(admin, demo, conn):
    page = admin.get("/admin/mobile-apps").text
    assert "Demo EN iOS" in page and "Demo EN Android" in page
    assert "Demo EN iOS" not in admin.get("/admin/mobile-apps?q=nothing-like-it").text
    assert "Demo EN iOS" in admin.get("/admin/mobile-apps?q=demo health").text
    app_id = conn.execute(
        "SELECT id FROM mobile_apps WHERE name = 'Demo EN Android'"
    ).fetchone()[0]
    detail = admin.get(f"/admin/mobile-apps/{app_id}").text
    assert "com.example.encv.demo" in detail
    assert admin.get("/admin/mobile-apps/999999").status_code == 404


def _sms(admin, **values):
    return admin.form("/admin/sms", values)


def test_system_sms_config_keeps_the_token_sealed(admin, conn, demo):
    result = _sms(
        admin,
        twilio_account_sid="AC123",
        twilio_auth_token="very-secret-token",
        **{
            "twilio_from_numbers.0.label": "Main",
            "twilio_from_numbers.0.value": "+12065550100",
            "twilio_from_numbers.1.label": "",
            "twilio_from_numbers.1.value": "+12065550199",
        },
    )
    assert result.status_code == 303
    sid, token = conn.execute(
        "SELECT twilio_account_sid, twilio_auth_token FROM sms_configs WHERE is_system"
    ).fetchone()
    assert sid == "AC123" and token and "very-secret-token" not in token
    from db.crypto import Envelope
    from models.codes.sms import AUTH_TOKEN_AAD

    envelope = Envelope(base64.b64decode(TEST_KEK))
    assert envelope.decrypt_text(token, AUTH_TOKEN_AAD) == "very-secret-token"
    numbers = conn.execute("SELECT label, value FROM sms_from_numbers").fetchall()
    assert numbers == [("Main", "+12065550100")]
    page = admin.get("/admin/sms").text
    assert "very-secret-token" not in page and "AC123" in page
    # Saving again with a blank token keeps the stored one.
    assert _sms(admin, twilio_account_sid="AC999").status_code == 303
    assert conn.execute(
        "SELECT twilio_auth_token FROM sms_configs WHERE is_system"
    ).fetchone() == (token,)
    assert conn.execute("SELECT count(*) FROM sms_from_numbers").fetchone() == (0,)
    # Blank SID deletes the config and every realm's right to use it.
    conn.execute(
        "UPDATE realms SET can_use_system_sms_config = true WHERE id = %s",
        (demo.realm_id,),
    )
    assert _sms(admin, twilio_account_sid="").status_code == 303
    assert conn.execute(
        "SELECT count(*) FROM sms_configs WHERE is_system"
    ).fetchone() == (0,)
    assert conn.execute(
        "SELECT can_use_system_sms_config FROM realms WHERE id = %s", (demo.realm_id,)
    ).fetchone() == (False,)
    assert audit_actions(conn, 0) == [
        "updated system SMS config",
        "updated system SMS sender numbers",
        "updated system SMS config",
        "updated system SMS sender numbers",
        "deleted system SMS config",
    ]


def test_bad_sms_config_writes_nothing(admin, conn):
    before = audit_count(conn)
    for values, message in (
        ({"twilio_account_sid": "AC1"}, "must both be set"),
        ({"twilio_account_sid": "", "twilio_auth_token": "x"}, "must both be set"),
        (
            {
                "twilio_account_sid": "AC1",
                "twilio_auth_token": "t",
                "twilio_from_numbers.0.label": "Bad",
                "twilio_from_numbers.0.value": "call me",
            },
            "must be a messaging service SID",
        ),
    ):
        result = _sms(admin, **values)
        assert result.status_code == 422 and message in result.text, values
    assert audit_count(conn) == before
    assert conn.execute(
        "SELECT count(*) FROM sms_configs WHERE is_system"
    ).fetchone() == (0,)


def test_system_email_config_seals_the_password(admin, conn):
    values = {
        "smtp_account": "noreply@example.org",
        "smtp_password": "hunter2-smtp",
        "smtp_host": "smtp.example.org",
        "smtp_port": "",
    }
    assert admin.form("/admin/email", values).status_code == 303
    row = conn.execute(
        "SELECT smtp_account, smtp_host, smtp_port, smtp_password FROM email_configs"
        " WHERE is_system"
    ).fetchone()
    assert row[:3] == ("noreply@example.org", "smtp.example.org", "587")
    assert row[3] and "hunter2" not in row[3]
    page = admin.get("/admin/email").text
    assert "hunter2" not in page and "smtp.example.org" in page
    before = audit_count(conn)
    bad = admin.form(
        "/admin/email", {"smtp_account": "x@example.org", "smtp_port": "25"}
    )
    assert bad.status_code == 422 and "must both be set" in bad.text
    bad = admin.form(
        "/admin/email", {**values, "smtp_password": "", "smtp_port": "http"}
    )
    assert bad.status_code == 422 and "SMTP port must be a number" in bad.text
    assert audit_count(conn) == before
    assert (
        admin.form("/admin/email", {"smtp_account": "", "smtp_host": ""}).status_code
        == 303
    )
    assert conn.execute(
        "SELECT count(*) FROM email_configs WHERE is_system"
    ).fetchone() == (0,)
    assert audit_actions(conn, 0) == [
        "updated system email config",
        "deleted system email config",
    ]


def test_clear_a_cache(admin, conn, ui_services, demo):
    from models.realms.lookup import cached_realm

    cache = ui_services.cache
    assert cached_realm(cache, ui_services.db, demo.realm_id).name == (
        "Demo Health Authority"
    )
    conn.execute("UPDATE realms SET name = 'Renamed' WHERE id = %s", (demo.realm_id,))
    assert cached_realm(cache, ui_services.db, demo.realm_id).name != "Renamed"
    assert "Realms" in admin.get("/admin/caches").text
    result = admin.form("/admin/caches/clear/realms:", {})
    assert result.status_code == 303
    assert "Successfully cleared cache for Realms!" in admin.get("/admin/caches").text
    assert cached_realm(cache, ui_services.db, demo.realm_id).name == "Renamed"
    assert audit_actions(conn, 0) == ["cleared cache"]
    before = audit_count(conn)
    admin.form("/admin/caches/clear/bogus:", {})
    assert "Unknown cache type" in admin.get("/admin/caches").text
    assert audit_count(conn) == before


def test_info_redacts_every_secret(admin, ui_services):
    page = admin.get("/admin/info").text
    assert "Version" in page and "ops.min_realms_for_system_stats" in page
    assert "kek" in page and "(redacted)" in page
    assert TEST_KEK not in page
    assert "api_key_database_hmac" in page
