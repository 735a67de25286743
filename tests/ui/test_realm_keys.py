"""HTTP tests of /realm/keys, /realm/sms-keys, the SMS/email tabs and ENX (§5.2-§5.4)."""

from __future__ import annotations

import falcon.testing

from models.accounts.mail import SMTP_PASSWORD_AAD
from models.accounts.rbac import Permission
from models.codes.sms import AUTH_TOKEN_AAD
from models.realms.forms import SENTINEL
from tests.issuing import count
from tests.ui.test_realm_settings import audits, plain, realm_row, set_permissions


def keys_of(conn, table, realm_id):
    return conn.execute(
        f"SELECT id, active, deleted_at IS NOT NULL FROM {table}"  # noqa: S608
        " WHERE realm_id = %(r)s ORDER BY id",
        {"r": realm_id},
    ).fetchall()


def test_certificate_key_life_and_jwks(signed_in, ui_services, conn, demo):
    from api.device.app import create_app

    device = falcon.testing.TestClient(create_app(ui_services))
    realm = demo.realm_id
    # Warm both JWKS caches before changing anything.
    assert signed_in.get(f"/jwks/{realm}").json == []
    assert device.simulate_get("/.well-known/jwks.json").status_code == 200
    signed_in.get("/realm/keys")
    assert signed_in.form("/realm/keys/create", {}).status_code == 303
    assert signed_in.form("/realm/keys/create", {}).status_code == 303
    (first, active1, _), (second, active2, _) = keys_of(conn, "signing_keys", realm)
    assert (active1, active2) == (True, False)
    kids = [key["kid"] for key in signed_in.get(f"/jwks/{realm}").json]
    assert kids == [f"r{realm}v{second}", f"r{realm}v{first}"]
    well_known = device.simulate_get("/.well-known/jwks.json").json["keys"]
    assert {f"r{realm}v{first}", f"r{realm}v{second}"} <= {k["kid"] for k in well_known}

    signed_in.get("/realm/keys")
    assert signed_in.form("/realm/keys/activate", {"id": second}).status_code == 303
    assert [row[1] for row in keys_of(conn, "signing_keys", realm)] == [False, True]
    # The active key cannot be destroyed; the inactive one can.
    signed_in.get("/realm/keys")
    refused = signed_in.form(f"/realm/keys/{second}", {"_method": "DELETE"})
    assert refused.status_code == 422
    signed_in.get("/realm/keys")
    done = signed_in.form(f"/realm/keys/{first}", {"_method": "DELETE"})
    assert done.status_code == 303
    assert keys_of(conn, "signing_keys", realm)[0][2] is True
    kids = [key["kid"] for key in signed_in.get(f"/jwks/{realm}").json]
    assert kids == [f"r{realm}v{second}"]
    well_known = device.simulate_get("/.well-known/jwks.json").json["keys"]
    assert f"r{realm}v{first}" not in {k["kid"] for k in well_known}
    actions = [a for a, _ in audits(conn, realm)]
    assert actions.count("created signing key") == 2
    assert "updated active signing key" in actions
    assert "destroyed signing key" in actions


def test_upgrade_needs_issuer_audience_and_is_one_way(signed_in, conn, demo):
    realm = demo.realm_id
    signed_in.get("/realm/keys")
    assert signed_in.form("/realm/keys/create", {}).status_code == 303
    signed_in.get("/realm/keys")
    refused = signed_in.form("/realm/keys/upgrade", {})
    assert refused.status_code == 422
    assert "Issuer and Audience settings not complete" in refused.text
    form = {
        "certificate_issuer": "iss",
        "certificate_audience": "aud",
        "certificate_duration": "bogus",
    }
    signed_in.get("/realm/keys")
    bad = signed_in.form("/realm/keys/save", form)
    assert bad.status_code == 422 and "invalid certificate duration" in bad.text
    signed_in.get("/realm/keys")
    ok = signed_in.form("/realm/keys/save", {**form, "certificate_duration": "20m0s"})
    assert ok.status_code == 303
    signed_in.get("/realm/keys")
    assert signed_in.form("/realm/keys/upgrade", {}).status_code == 303
    row = realm_row(
        conn,
        realm,
        "use_realm_certificate_key",
        "certificate_issuer",
        "certificate_duration",
    )
    assert row == (True, "iss", 1200)
    page = signed_in.get("/realm/keys")
    assert "Successfully switched to realm specific signing keys." in page.text
    # Issuer and audience are frozen once upgraded.
    signed_in.form("/realm/keys/save", {**form, "certificate_issuer": "other"})
    assert realm_row(conn, realm, "certificate_issuer")[0] == "iss"
    signed_in.get("/realm/keys")
    assert signed_in.form("/realm/keys/automatic", {}).status_code == 303
    assert realm_row(conn, realm, "auto_rotate_certificate_key")[0] is True


def test_key_writes_need_settings_write(signed_in, conn, demo):
    signed_in.get("/realm/keys")
    set_permissions(conn, demo, Permission.SETTINGS_READ)
    assert signed_in.get("/realm/keys").status_code == 200
    assert signed_in.form("/realm/keys/create", {}).status_code == 401
    assert signed_in.form("/realm/sms-keys", {}).status_code == 401
    assert count(conn, "SELECT count(*) FROM signing_keys") == 0
    assert count(conn, "SELECT count(*) FROM sms_signing_keys") == 0


def test_key_create_needs_csrf(signed_in, conn, demo):
    signed_in.get("/realm/keys")
    assert signed_in.form("/realm/keys/create", {}, csrf=False).status_code == 401
    assert count(conn, "SELECT count(*) FROM signing_keys") == 0


def test_sms_keys_and_authenticated_sms(signed_in, conn, demo):
    realm = demo.realm_id
    signed_in.get("/realm/sms-keys")
    refused = signed_in.form("/realm/sms-keys/enable", {"_method": "PUT"})
    assert refused.status_code == 422
    signed_in.get("/realm/sms-keys")
    assert signed_in.form("/realm/sms-keys", {}).status_code == 303
    ((row_id, active, _),) = keys_of(conn, "sms_signing_keys", realm)
    assert active
    signed_in.get("/realm/sms-keys")
    assert (
        signed_in.form("/realm/sms-keys/enable", {"_method": "PUT"}).status_code == 303
    )
    assert realm_row(conn, realm, "use_authenticated_sms")[0] is True
    page = signed_in.get("/realm/sms-keys")
    assert f"r{realm}v{row_id}sms" in page.text
    assert "Successfully enabled authenticated SMS." in page.text
    assert (
        signed_in.form("/realm/sms-keys/disable", {"_method": "PUT"}).status_code == 303
    )
    assert realm_row(conn, realm, "use_authenticated_sms")[0] is False


def test_max_key_versions(signed_in, conn, demo):
    for _ in range(5):
        signed_in.get("/realm/sms-keys")
        assert signed_in.form("/realm/sms-keys", {}).status_code == 303
    signed_in.get("/realm/sms-keys")
    refused = signed_in.form("/realm/sms-keys", {})
    assert refused.status_code == 422
    assert "There is a limit of 5 key versions" in refused.text
    assert count(conn, "SELECT count(*) FROM sms_signing_keys") == 5


SMS = {
    "sms": "1",
    "twilio_account_sid": "AC" + "1" * 32,
    "twilio_auth_token": "tok-123456",
    "twilio_from_number": "+15005550006",
    "sms_country": "us",
    "sms_text_template_0": "Your code [longcode] expires in [longexpires] hours",
}


def test_sms_tab_seals_token_and_keeps_it_on_sentinel(
    signed_in, ui_services, conn, demo
):
    plain(conn, demo)
    signed_in.get("/realm/settings")
    assert signed_in.form("/realm/settings", SMS).status_code == 303
    sealed = conn.execute(
        "SELECT twilio_auth_token FROM sms_configs WHERE realm_id = %(r)s",
        {"r": demo.realm_id},
    ).fetchone()[0]
    assert "tok-123456" not in sealed
    assert ui_services.envelope.decrypt_text(sealed, AUTH_TOKEN_AAD) == "tok-123456"
    diff = dict(audits(conn, demo.realm_id))["updated SMS configuration"]
    assert "tok-123456" not in diff and "(redacted)" in diff
    page = signed_in.get("/realm/settings")
    assert SENTINEL in page.text and "tok-123456" not in page.text
    again = {**SMS, "twilio_auth_token": SENTINEL, "twilio_from_number": "+15005550009"}
    assert signed_in.form("/realm/settings", again).status_code == 303
    sealed, number = conn.execute(
        "SELECT twilio_auth_token, twilio_from_number FROM sms_configs"
        " WHERE realm_id = %(r)s",
        {"r": demo.realm_id},
    ).fetchone()
    assert ui_services.envelope.decrypt_text(sealed, AUTH_TOKEN_AAD) == "tok-123456"
    assert number == "+15005550009"
    # Blank credentials delete the realm's provider.
    signed_in.get("/realm/settings")
    blank = {
        **SMS,
        "twilio_account_sid": "",
        "twilio_auth_token": "",
        "twilio_from_number": "",
    }
    assert signed_in.form("/realm/settings", blank).status_code == 303
    assert (
        count(
            conn,
            "SELECT count(*) FROM sms_configs WHERE realm_id = %(r)s",
            r=demo.realm_id,
        )
        == 0
    )


def test_sms_template_rules(signed_in, conn, demo):
    plain(conn, demo)
    signed_in.get("/realm/settings")
    both = {**SMS, "sms_text_template_0": "[code] and [longcode]"}
    result = signed_in.form("/realm/settings", both)
    assert result.status_code == 422
    assert "must contain exactly one of" in result.text
    long_text = {**SMS, "sms_text_template_0": "[code] " + "x" * 800}
    result = signed_in.form("/realm/settings", long_text)
    assert result.status_code == 422 and "800 characters or less" in result.text
    normalised = {**SMS, "sms_text_template_0": "Code\n[code]  |  bye"}
    assert signed_in.form("/realm/settings", normalised).status_code == 303
    assert realm_row(conn, demo.realm_id, "sms_text_template")[0] == "Code [code] bye"


def test_email_tab_seals_password(signed_in, ui_services, conn, demo):
    signed_in.get("/realm/settings")
    form = {
        "email": "1",
        "smtp_account": "noreply@example.com",
        "smtp_password": "pw-secret-1",
        "smtp_host": "smtp.example.com",
        "smtp_port": "2525",
        "email_invite_template": "Join [realmname]: [invitelink]",
    }
    assert signed_in.form("/realm/settings", form).status_code == 303
    sealed, port = conn.execute(
        "SELECT smtp_password, smtp_port FROM email_configs WHERE realm_id = %(r)s",
        {"r": demo.realm_id},
    ).fetchone()
    assert ui_services.envelope.decrypt_text(sealed, SMTP_PASSWORD_AAD) == "pw-secret-1"
    assert port == "2525"
    template = realm_row(conn, demo.realm_id, "email_invite_template")[0]
    assert template == "Join [realmname]: [invitelink]"


def test_express_toggle_rewrites_templates(signed_in, conn, demo):
    signed_in.get("/realm/settings")
    already = signed_in.form("/realm/settings/enable-express", {})
    assert already.status_code == 422
    assert "is already enrolled in EN Express" in already.text
    signed_in.get("/realm/settings")
    assert signed_in.form("/realm/settings/disable-express", {}).status_code == 303
    enx, template = realm_row(
        conn, demo.realm_id, "enable_en_express", "sms_text_template"
    )
    assert enx is False and "[enslink]" not in template
    signed_in.get("/realm/settings")
    assert signed_in.form("/realm/settings/enable-express", {}).status_code == 303
    row = realm_row(
        conn,
        demo.realm_id,
        "enable_en_express",
        "sms_text_template",
        "allowed_test_types",
    )
    assert row[0] is True and "[enslink]" in row[1] and row[2] == 2
    assert "updated enable ENX" in [a for a, _ in audits(conn, demo.realm_id)]


def test_abuse_prevention_burst_is_audited(signed_in, conn, demo):
    signed_in.get("/realm/settings")
    form = {
        "abuse_prevention": "1",
        "abuse_prevention_enabled": "on",
        "abuse_prevention_limit_factor": "1.5",
        "abuse_prevention_burst": "7",
    }
    assert signed_in.form("/realm/settings", form).status_code == 303
    enabled, factor = realm_row(
        conn, demo.realm_id, "abuse_prevention_enabled", "abuse_prevention_limit_factor"
    )
    assert enabled is True and str(factor) == "1.500"
    assert audits(conn, demo.realm_id, "added 7 quota capacity")
    page = signed_in.get("/realm/settings")
    assert "Successfully added 7 to realm quota" in page.text
    # Limit 10 x 1.5 = 15, plus the burst of 7.
    assert "22 of 15 remaining" in page.text
