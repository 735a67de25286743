"""Email flows against the SMTP sink, MFA enrolment, realm choice and gates."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest


@pytest.fixture
def ui_env(sink):
    return {
        "DEV_MODE": "true",
        "ENCV_SMTP_HOST": "127.0.0.1",
        "ENCV_SMTP_PORT": str(sink.port),
        "ENCV_SMTP_FROM": "noreply@example.com",
        "SERVER_ENDPOINT": "https://verify.example.com",
    }


def _link(body: str) -> str:
    return re.search(
        r"https://verify\.example\.com(/login/manage-account\S+)", body
    ).group(1)


def test_password_reset_by_email(browser, demo, sink, outbox):
    email = demo.realm_admin["email"]
    browser.get("/login/reset-password")
    result = browser.form("/login/reset-password", {"email": email})
    assert result.status_code == 303
    outbox.drain()
    assert "Password reset email sent." in browser.get("/login/reset-password").text
    ((_, recipients, message),) = sink.messages
    assert recipients == [email]
    assert (
        message["Subject"] == "Your Exposure Notifications Verification Server Account"
    )
    assert message["From"] == "noreply@example.com"
    link = _link(sink.bodies()[0])
    form = browser.get(link)
    assert form.status_code == 200 and email in form.text
    weak = browser.form(link, {"password": "short"})
    assert weak.status_code == 422 and "Select password failed" in weak.text
    done = browser.form(link, {"password": "New-Password-1"})
    assert done.status_code == 303
    assert browser.sign_in(email, "New-Password-1").status_code == 303
    # Single use (the page is loaded first: sign-in rotated the CSRF token).
    browser.get(link)
    again = browser.form(link, {"password": "Other-Password-2"})
    assert again.status_code == 422 and "Failed to change password" in again.text


def test_reset_for_unknown_email_sends_nothing_and_says_the_same(
    browser, sink, demo, outbox
):
    browser.get("/login/reset-password")
    browser.form("/login/reset-password", {"email": "ghost@example.com"})
    outbox.drain()
    assert "Password reset email sent." in browser.get("/login/reset-password").text
    assert sink.messages == []


def test_expired_reset_token(browser, demo, sink, clock, outbox):
    browser.get("/login/reset-password")
    browser.form("/login/reset-password", {"email": demo.realm_admin["email"]})
    outbox.drain()
    link = _link(sink.bodies()[0])
    clock.advance(hours=1, seconds=1)
    page = browser.get(link)
    assert "Failed to verify password reset token" in page.text


def test_realm_template_is_used(browser, demo, sink, conn, outbox):
    conn.execute(
        "UPDATE realms SET email_password_reset_template = %s WHERE id = %s",
        ("Reset for [realmname]: [passwordresetlink]", demo.realm_id),
    )
    browser.get("/login/reset-password")
    browser.form("/login/reset-password", {"email": demo.realm_admin["email"]})
    outbox.drain()
    assert sink.bodies()[0].startswith("Reset for Demo Health Authority: https://")


def test_invitation_link_sets_password(conn, ui_services, sink, demo, browser, clock):
    from db.queries.accounts import users as users_q
    from models.accounts import flows as account_flows

    user_id = users_q.upsert_user(
        conn, email="new@example.com", name="New", system_admin=False
    )
    account_flows.send_invite(
        conn,
        ui_services.settings.ui,
        user_id=user_id,
        realm=None,
        now=clock.now(),
    )
    assert "invited" in sink.bodies()[0]
    link = _link(sink.bodies()[0])
    assert browser.form(link, {"password": "Invited-Pass-9"}).status_code == 303
    assert browser.sign_in("new@example.com", "Invited-Pass-9").status_code == 303


def test_email_verification_gate_and_flow(signed_in, conn, demo, sink):
    conn.execute(
        "UPDATE users SET email_verified_at = NULL WHERE email = %s",
        (demo.realm_admin["email"],),
    )
    conn.execute(
        "UPDATE realms SET email_verified_mode = 1 WHERE id = %s", (demo.realm_id,)
    )
    gate = signed_in.get("/codes/issue")
    assert gate.headers["Location"].endswith("/login/manage-account?mode=verifyEmail")
    page = signed_in.get("/login/manage-account?mode=verifyEmail")
    assert "Continue without verifying" not in page.text
    sent = signed_in.form("/login/manage-account?mode=verifyEmail", {})
    assert sent.status_code == 303
    link = _link(sink.bodies()[0])
    assert "mode=verifyEmail" in link
    assert signed_in.get(link).status_code == 303
    assert signed_in.get("/codes/issue").status_code == 200


def test_mail_failure_is_logged_not_shown(browser, demo, sink, outbox, caplog):
    # The answer must not differ from an unknown address's (issue 19), so a
    # failed send is the operator's business: it is logged, never silent.
    sink.__exit__()
    browser.get("/login/reset-password")
    browser.form("/login/reset-password", {"email": demo.realm_admin["email"]})
    outbox.drain()
    assert "Password reset email sent." in browser.get("/login/reset-password").text
    assert any(
        "account mail failed: password reset mail" in record.getMessage()
        and record.exc_info
        for record in caplog.records
    )


def test_mfa_enrol_then_sign_in_needs_code(signed_in, demo, clock, app):
    from tests.ui.client import UiClient

    page = signed_in.get("/login/register-phone")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    assert 'src="data:image/svg+xml' in page.text
    code = pyotp.TOTP(secret).at(clock.now())
    result = signed_in.form(
        "/login/register-phone", {"display_name": "Pixel", "code": code}
    )
    assert result.status_code == 303
    assert "Pixel" in signed_in.get("/login/register-phone").text
    other = UiClient(app)
    step = other.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    assert 'name="totp"' in step.text
    ok = other.form("/session", {"totp": pyotp.TOTP(secret).at(clock.now())})
    assert ok.status_code == 303


def test_mfa_changes_need_a_fresh_sign_in(signed_in, clock):
    clock.advance(minutes=6)
    result = signed_in.form(
        "/login/register-phone", {"display_name": "x", "code": "123456"}
    )
    assert result.headers["Location"].endswith("/login?redir=login/register-phone")
    page = signed_in.get("/login?redir=login/register-phone")
    assert "requires recent authentication" in page.text
    assert "Refresh authentication" in page.text


def test_wrong_mfa_code_is_refused(signed_in):
    result = signed_in.form(
        "/login/register-phone", {"display_name": "x", "code": "000000"}
    )
    assert result.status_code == 422


def test_required_mfa_blocks_realm_pages(signed_in, conn, demo):
    conn.execute("UPDATE realms SET mfa_mode = 1 WHERE id = %s", (demo.realm_id,))
    assert (
        signed_in.get("/codes/issue")
        .headers["Location"]
        .endswith("/login/register-phone")
    )
    page = signed_in.get("/login/register-phone")
    assert "requires multi-factor authentication" in page.text
    assert "Continue without MFA" not in page.text


def test_required_mfa_grace_period_counts_from_membership(signed_in, conn, demo):
    conn.execute(
        "UPDATE realms SET mfa_mode = 1, mfa_required_grace_period = 86400 WHERE id = %s",
        (demo.realm_id,),
    )
    assert signed_in.get("/codes/issue").status_code == 200


def test_password_rotation_forces_change(signed_in, conn, demo, clock):
    conn.execute(
        "UPDATE realms SET password_rotation_period_days = 30,"
        " password_rotation_warning_days = 5 WHERE id = %s",
        (demo.realm_id,),
    )
    conn.execute(
        "UPDATE users SET last_password_change = %s WHERE email = %s",
        (clock.now() - dt.timedelta(days=27), demo.realm_admin["email"]),
    )
    page = signed_in.get("/codes/issue")
    assert "Password Change Required In 3 Days." in page.text
    clock.advance(days=3, minutes=-19 * 0)
    signed_in.cookies.clear()
    signed_in.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    signed_in.get("/login/select-realm")
    assert (
        signed_in.get("/codes/issue")
        .headers["Location"]
        .endswith("/login/change-password")
    )
    # The form page carries the CSRF token of the signed-in session.
    signed_in.get("/login/change-password")
    changed = signed_in.form(
        "/login/change-password",
        {
            "current_password": demo.realm_admin["password"],
            "password": "Rotated-Pass-1",
            "password_confirm": "Rotated-Pass-1",
        },
    )
    assert changed.status_code == 303
    assert "Successfully changed password." in signed_in.get("/account").text


def test_change_password_rules(signed_in, demo):
    bad = signed_in.form(
        "/login/change-password",
        {
            "current_password": "wrong",
            "password": "Aa1!aaaa",
            "password_confirm": "Aa1!aaaa",
        },
    )
    assert bad.status_code == 422 and "Current password is incorrect." in bad.text
    weak = signed_in.form(
        "/login/change-password",
        {
            "current_password": demo.realm_admin["password"],
            "password": "abc",
            "password_confirm": "abd",
        },
    )
    assert "password must be at least 8 characters long" in weak.text
    assert "passwords do not match" in weak.text


def test_system_admin_without_realms_goes_to_admin(browser, demo):
    browser.sign_in(demo.system_admin["email"], demo.system_admin["password"])
    assert browser.get("/login/select-realm").headers["Location"].endswith("/admin")


def test_many_realms_are_listed_and_chosen(browser, demo, conn):
    from db.queries.accounts import users as users_q
    from db.queries.realms import core as realms_q

    other = realms_q.insert_realm(conn, "Another Realm", region_code="US-XX")
    user = users_q.get_user_by_email(conn, demo.realm_admin["email"])
    users_q.upsert_membership(conn, realm_id=other, user_id=user.id, permissions=64)
    browser.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    page = browser.get("/login/select-realm")
    assert page.status_code == 200
    assert "Another Realm" in page.text and "Demo Health Authority" in page.text
    assert browser.form("/login/select-realm", {"realm": "99999"}).status_code == 422
    chosen = browser.form("/login/select-realm", {"realm": str(other)})
    assert chosen.status_code == 303
    # CodeRead only: lands on... the issue page is the fallback (§3.3).
    assert (
        browser.get("/login/post-authenticate")
        .headers["Location"]
        .endswith("/codes/issue")
    )
    assert "Change realm" in browser.get("/account").text


def test_reauthentication_returns_to_mfa_page(signed_in, demo, clock):
    clock.advance(minutes=6)
    signed_in.get("/login?redir=login/register-phone")
    result = signed_in.form(
        "/session",
        {
            "redir": "login/register-phone",
            "email": demo.realm_admin["email"],
            "password": demo.realm_admin["password"],
        },
    )
    assert result.headers["Location"].endswith("/login/register-phone")
    page = signed_in.get("/login/register-phone")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    code = pyotp.TOTP(secret).at(clock.now())
    added = signed_in.form(
        "/login/register-phone", {"display_name": "Key", "code": code}
    )
    assert added.status_code == 303
    assert "Authenticator app added." in signed_in.get("/login/register-phone").text


def test_reauth_page_needs_the_allowed_redir(signed_in):
    assert signed_in.get("/login").headers["Location"].endswith("/")
    assert signed_in.get("/login?redir=evil.example.com").status_code == 303
