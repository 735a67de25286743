"""HTTP tests of /realm/settings (ui-and-data §5.2, §6)."""

from __future__ import annotations

import html

import falcon.testing
import pytest

from models.accounts.rbac import Permission
from tests.issuing import count

GENERAL = {
    "general": "1",
    "name": "Demo Health Authority",
    "region_code": "US-DEMO",
    "welcome_message": "",
}
CODES = {
    "codes": "1",
    "allow_bulk": "true",
    "allowed_test_types": "14",
    "require_date": "false",
    "code_length": "8",
    "code_duration": "15",
    "long_code_length": "16",
    "long_code_duration": "24",
}
SECURITY = {
    "security": "1",
    "email_verified_mode": "0",
    "mfa_mode": "0",
    "password_rotation_period_days": "0",
    "password_rotation_warning_days": "0",
    "allowed_cidrs_adminapi": "",
    "allowed_cidrs_apiserver": "",
    "allowed_cidrs_server": "",
}


def realm_row(conn, realm_id, *columns):
    return conn.execute(
        f"SELECT {', '.join(columns)} FROM realms WHERE id = %(id)s",  # noqa: S608
        {"id": realm_id},
    ).fetchone()


def audits(conn, realm_id, action=None):
    return conn.execute(
        "SELECT action, diff FROM audit_entries WHERE realm_id = %(r)s"
        " AND (%(a)s::text IS NULL OR action = %(a)s) ORDER BY id",
        {"r": realm_id, "a": action},
    ).fetchall()


def set_permissions(conn, demo, perms: int) -> None:
    conn.execute(
        "UPDATE memberships SET permissions = %(p)s WHERE realm_id = %(r)s"
        " AND user_id = (SELECT id FROM users WHERE email = %(e)s)",
        {"p": perms, "r": demo.realm_id, "e": demo.realm_admin["email"]},
    )


def plain(conn, demo):
    """Take the demo realm out of EN Express (the demo starts enrolled)."""
    conn.execute(
        "UPDATE realms SET enable_en_express = false WHERE id = %(id)s",
        {"id": demo.realm_id},
    )


def test_page_shows_every_tab(signed_in, conn, demo):
    page = signed_in.get("/realm/settings")
    assert page.status_code == 200
    # Enrolled in ENX: no ENX tab, a disable button under "Advanced settings".
    assert 'id="enx"' not in page.text
    assert 'id="disable-express"' in page.text
    plain(conn, demo)
    page = signed_in.get("/realm/settings")
    for tab in ("enx", "general", "codes", "sms", "email", "security"):
        assert f'id="{tab}"' in page.text
    assert 'id="abuse_prevention"' in page.text
    assert 'value="Demo Health Authority"' in page.text


def test_reading_needs_settings_read(signed_in, conn, demo):
    set_permissions(conn, demo, Permission.CODE_ISSUE)
    assert signed_in.get("/realm/settings").status_code == 401
    assert signed_in.get("/realm/keys").status_code == 401
    assert signed_in.get("/realm/sms-keys").status_code == 401


@pytest.mark.parametrize(
    "path,form",
    [
        ("/realm/settings", GENERAL),
        ("/realm/settings/enable-express", {}),
        ("/realm/settings/disable-express", {}),
    ],
)
def test_writing_needs_settings_write(signed_in, conn, demo, path, form):
    signed_in.get("/realm/settings")
    set_permissions(conn, demo, Permission.SETTINGS_READ)
    before = count(conn, "SELECT count(*) FROM audit_entries")
    result = signed_in.form(path, {**form, "name": "Renamed"})
    assert result.status_code == 401
    assert realm_row(conn, demo.realm_id, "name")[0] == "Demo Health Authority"
    assert count(conn, "SELECT count(*) FROM audit_entries") == before


def test_save_without_csrf_is_refused(signed_in, conn, demo):
    signed_in.get("/realm/settings")
    result = signed_in.form("/realm/settings", {**GENERAL, "name": "X"}, csrf=False)
    assert result.status_code == 401
    assert realm_row(conn, demo.realm_id, "name")[0] == "Demo Health Authority"


def test_general_save_writes_row_audit_and_redirects(signed_in, conn, demo):
    signed_in.get("/realm/settings")
    result = signed_in.form(
        "/realm/settings", {**GENERAL, "name": "Renamed HA", "region_code": "us-wa"}
    )
    assert result.status_code == 303
    assert result.headers["Location"].endswith("/realm/settings#general")
    assert realm_row(conn, demo.realm_id, "name", "region_code") == (
        "Renamed HA",
        "US-WA",
    )
    entries = dict(audits(conn, demo.realm_id))
    assert entries["updated realm name"] == "-Demo Health Authority\n+Renamed HA\n"
    assert entries["updated region code"] == "-US-DEMO\n+US-WA\n"
    page = signed_in.get("/realm/settings")
    assert "Successfully updated realm settings" in page.text


@pytest.mark.parametrize(
    "form,field,message",
    [
        ({**GENERAL, "name": "  "}, "name", "cannot be blank"),
        (
            {**GENERAL, "region_code": "ABCDEFGHIJK"},
            "region_code",
            "cannot be more than 10 characters",
        ),
        (
            {**CODES, "allow_user_report_web_view": "on"},
            "allow_user_report_web_view",
            "cannot be enabled unless user report is enabled",
        ),
        ({**CODES, "code_length": "5"}, "code_length", "must be one of 6, 7, 8"),
        (
            {**SECURITY, "allowed_cidrs_adminapi": "10.0.0.0/8\nnot-an-ip"},
            "allowed_cidrs_adminapi",
            'invalid CIDR "not-an-ip"',
        ),
        (
            {
                **SECURITY,
                "password_rotation_period_days": "30",
                "password_rotation_warning_days": "60",
            },
            "password_rotation_warning_days",
            "must be one of",
        ),
        (
            {
                **SECURITY,
                "password_rotation_period_days": "0",
                "password_rotation_warning_days": "7",
            },
            "password_rotation_warning_days",
            "may not be longer than the password rotation period",
        ),
        (
            {"email": "1", "email_invite_template": "Hello [realmname]"},
            "email_invite_template",
            'must contain "[invitelink]"',
        ),
        (
            {"email": "1", "smtp_account": "a@example.com", "smtp_host": "smtp"},
            "smtp_account",
            "must all be set or all be blank",
        ),
        (
            {"abuse_prevention": "1", "abuse_prevention_limit_factor": "abc"},
            "abuse_prevention_limit_factor",
            "must be a number",
        ),
    ],
)
def test_bad_input_is_answered_on_the_form(signed_in, conn, demo, form, field, message):
    plain(conn, demo)
    signed_in.get("/realm/settings")
    before = realm_row(conn, demo.realm_id, "*")
    audit_count = count(conn, "SELECT count(*) FROM audit_entries")
    result = signed_in.form("/realm/settings", form)
    assert result.status_code == 422
    assert f'data-error-for="{field}"' in result.text
    assert message in html.unescape(result.text)
    assert realm_row(conn, demo.realm_id, "*") == before
    assert count(conn, "SELECT count(*) FROM audit_entries") == audit_count


def test_duplicate_name_is_refused(signed_in, conn, demo):
    conn.execute("INSERT INTO realms (name, region_code) VALUES ('Other', 'US-OT')")
    signed_in.get("/realm/settings")
    result = signed_in.form("/realm/settings", {**GENERAL, "region_code": "us-ot"})
    assert result.status_code == 422
    assert 'data-error-for="region_code"' in result.text
    assert "must be unique" in result.text
    assert realm_row(conn, demo.realm_id, "region_code")[0] == "US-DEMO"


def test_security_tab_stores_sorted_cidrs_and_modes(signed_in, conn, demo):
    signed_in.get("/realm/settings")
    result = signed_in.form(
        "/realm/settings",
        {
            **SECURITY,
            "mfa_mode": "1",
            "mfa_grace_period": "7",
            "allowed_cidrs_server": "10.0.0.0/8, 192.168.1.1\n::1",
        },
    )
    assert result.status_code == 303
    row = realm_row(
        conn,
        demo.realm_id,
        "mfa_mode",
        "mfa_required_grace_period",
        "allowed_cidrs_server",
    )
    assert row == (1, 7 * 86400, ["10.0.0.0/8", "192.168.1.1/32", "::1/128"])
    entries = dict(audits(conn, demo.realm_id))
    assert entries["updated MFA mode"] == "-prompt\n+required\n"
    assert "+192.168.1.1/32" in entries["updated server allowed cidrs"]


def test_security_tab_turns_passkey_only_sign_in_on_and_off(signed_in, conn, demo):
    page = signed_in.get("/realm/settings")
    assert 'id="allow_passkey_signin"' in page.text
    on = signed_in.form("/realm/settings", {**SECURITY, "allow_passkey_signin": "true"})
    assert on.status_code == 303
    assert realm_row(conn, demo.realm_id, "allow_passkey_signin") == (True,)
    assert "updated allow passkey signin" in dict(audits(conn, demo.realm_id))
    signed_in.get("/realm/settings")
    assert signed_in.form("/realm/settings", SECURITY).status_code == 303
    assert realm_row(conn, demo.realm_id, "allow_passkey_signin") == (False,)


def test_codes_tab_and_test_types_audit(signed_in, conn, demo):
    plain(conn, demo)
    conn.execute("UPDATE realms SET alternate_sms_templates = NULL")
    signed_in.get("/realm/settings")
    result = signed_in.form(
        "/realm/settings",
        {
            **CODES,
            "allowed_test_types": "2",
            "allow_user_report": "on",
            "sms_country": "",
        },
    )
    assert result.status_code == 303
    types, templates = realm_row(
        conn, demo.realm_id, "allowed_test_types", "alternate_sms_templates"
    )
    assert types == 2 | 16
    # Turning user reports on adds the "User Report" template.
    assert "User Report" in templates
    diff = dict(audits(conn, demo.realm_id))["updated allowed test types"]
    assert (
        diff == "-confirmed, likely, negative, user-report\n+confirmed, user-report\n"
    )


def _issue(admin_client, key, test_type):
    return admin_client.simulate_post(
        "/api/issue",
        json={"testType": test_type, "symptomDate": None},
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )


def test_turning_off_a_test_type_applies_to_the_next_api_request(
    signed_in, ui_services, conn, demo
):
    from api.admin.app import create_app

    admin = falcon.testing.TestClient(create_app(ui_services))
    # The first request caches the realm in the shared cache.
    assert _issue(admin, demo.admin_api_key, "likely").status_code == 200
    signed_in.get("/realm/settings")
    assert (
        signed_in.form(
            "/realm/settings", CODES | {"allowed_test_types": "2"}
        ).status_code
        == 303
    )
    refused = _issue(admin, demo.admin_api_key, "likely")
    assert refused.status_code == 400
    assert refused.json["errorCode"] == "unsupported_test_type"
    assert _issue(admin, demo.admin_api_key, "confirmed").status_code == 200


def test_allowed_cidrs_apply_at_once(signed_in, ui_services, conn, demo):
    from api.admin.app import create_app

    admin = falcon.testing.TestClient(create_app(ui_services))
    assert _issue(admin, demo.admin_api_key, "confirmed").status_code == 200
    signed_in.get("/realm/settings")
    form = {**SECURITY, "allowed_cidrs_adminapi": "10.9.0.0/16"}
    assert signed_in.form("/realm/settings", form).status_code == 303
    assert _issue(admin, demo.admin_api_key, "confirmed").status_code == 401
    signed_in.get("/realm/settings")
    form = {**SECURITY, "allowed_cidrs_adminapi": "127.0.0.1"}
    assert signed_in.form("/realm/settings", form).status_code == 303
    assert _issue(admin, demo.admin_api_key, "confirmed").status_code == 200
