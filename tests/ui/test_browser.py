"""End-to-end scenarios in headless Chromium against gunicorn (issue 7).

Each test gets its own committed database (``fresh_db``) bootstrapped with the
demo realm, and a gunicorn serving ``ui.app:get_app()`` on a free port.
"""

from __future__ import annotations

import json
import time
import urllib.request

import psycopg
import pyotp
import pytest

from tests.support import gunicorn
from tests.ui.browser import (
    LOCKOUT_SECONDS,
    expect,
    shoot,
    sign_in,
    to_issue_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_realm_admin_signs_in(page, server, demo_db):
    _, creds = demo_db
    to_issue_page(page, server, creds)
    assert page.is_visible("text=Bulk issue codes")
    assert page.inner_text(".brand") == "Demo Health Authority - US-DEMO"
    page.click("#user-menu")
    page.click("#signout")
    page.wait_for_url(server + "/")
    assert page.is_visible("#password")


def test_enrol_totp_and_sign_in_with_code(page, server, demo_db):
    _, creds = demo_db
    sign_in(page, server, creds.realm_admin["email"], creds.realm_admin["password"])
    page.wait_for_url("**/login/register-phone")
    secret = page.inner_text("#totp-secret").strip()
    page.fill("#display_name", "Test phone")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("#mfa-submit")
    page.wait_for_selector("text=Authenticator app added.")
    assert page.is_visible("td:has-text('Test phone')")
    page.goto(server + "/signout")
    sign_in(page, server, creds.realm_admin["email"], creds.realm_admin["password"])
    page.wait_for_selector("#totp")
    shoot(page, "totp")
    page.fill("#totp", pyotp.TOTP(secret).now())
    page.click("#submit")
    # The session passed a second factor: straight to the issue page.
    page.wait_for_url("**/codes/issue")


def test_issue_code_and_verify_it_on_the_apiserver(page, server, demo_db, stack_env):
    dsn, creds = demo_db
    to_issue_page(page, server, creds)
    page.check("input[name=testType][value=confirmed]")
    page.click("#issue-submit")
    page.wait_for_selector("#issue-result:not([hidden])")
    code = page.get_attribute("#code-digits", "data-code")
    uuid = page.inner_text("#code-uuid").strip()
    assert code and len(code) == 8 and code.isdigit()
    assert page.locator(".digit").count() == 8
    expect(page.locator("#code-countdown")).to_contain_text(":")
    shoot(page, "issue-result")
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT code, claimed FROM verification_codes WHERE uuid = %s", (uuid,)
        ).fetchone()
    assert row is not None and row[0] != code and row[1] is False
    # The person's app exchanges the code for a token on the apiserver.
    with gunicorn("api.device.app:get_app()", stack_env, workers=1) as api:
        request = urllib.request.Request(
            api + "/api/verify",
            data=json.dumps({"code": code}).encode(),
            headers={
                "Content-Type": "application/json",
                "X-API-Key": creds.device_api_key,
            },
        )
        with urllib.request.urlopen(request, timeout=10) as resp:
            body = json.loads(resp.read())
    assert body["testtype"] == "confirmed" and body["token"]
    with psycopg.connect(dsn) as conn:
        assert conn.execute(
            "SELECT claimed FROM verification_codes WHERE uuid = %s", (uuid,)
        ).fetchone() == (True,)
    page.click("#issue-reset")
    assert page.is_visible("#issue-submit")


def test_bulk_upload_200_rows(page, server, demo_db, tmp_path, fake_sms):
    dsn, creds = demo_db
    csv = tmp_path / "people.csv"
    csv.write_text("".join(f"+1206555{i:04d},,\n" for i in range(200)))
    to_issue_page(page, server, creds)
    page.goto(server + "/codes/bulk-issue")
    page.set_input_files("#csv", str(csv))
    page.click("#bulk-start")
    expect(page.locator("#bulk-percent")).to_have_text("100%", timeout=60_000)
    assert page.inner_text("#bulk-ok") == "200"
    assert page.inner_text("#bulk-failed") == "0"
    assert page.input_value("#start-at") == "201"
    shoot(page, "bulk-issue-done")
    with psycopg.connect(dsn) as conn:
        count = conn.execute("SELECT count(*) FROM verification_codes").fetchone()[0]
    assert count == 200
    assert len(fake_sms.messages) == 200
    # Results survive a reload.
    page.reload()
    assert page.inner_text("#bulk-ok") == "200"
    assert page.inner_text("#bulk-percent") == "100%"
    # Same file, same retry code: every row is refused as a duplicate.
    page.fill("#start-at", "1")
    page.set_input_files("#csv", str(csv))
    page.click("#bulk-start")
    expect(page.locator("#bulk-skipped")).to_have_text("200", timeout=60_000)
    expect(page.locator("#bulk-percent")).to_have_text("100%")
    with psycopg.connect(dsn) as conn:
        assert (
            conn.execute("SELECT count(*) FROM verification_codes").fetchone()[0] == 200
        )


def test_status_lookup_and_expire(page, server, demo_db):
    dsn, creds = demo_db
    to_issue_page(page, server, creds)
    page.click("#issue-submit")
    page.wait_for_selector("#issue-result:not([hidden])")
    uuid = page.inner_text("#code-uuid").strip()
    page.goto(server + "/codes/status")
    assert page.is_visible(f"a:has-text('{uuid}')")
    page.fill("#uuid", uuid.replace("-", ""))  # the input re-inserts dashes
    page.click("#status-submit")
    page.wait_for_url(f"**/codes/{uuid}")
    assert page.inner_text("#code-state") == "Not yet claimed"
    shoot(page, "code-show")
    page.click("#expire-code")
    page.wait_for_selector("text=Expired code.")
    assert page.inner_text("#code-state") == "Expired"
    # Post/redirect/get: the result page is a plain GET of the code.
    assert page.url.endswith(f"/codes/{uuid}")
    shoot(page, "code-expired")
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT expires_at <= now() FROM verification_codes WHERE uuid = %s",
            (uuid,),
        ).fetchone()
    assert row == (True,)


def test_five_wrong_passwords_lock_the_account(page, server, demo_db):
    dsn, creds = demo_db
    email, good = creds.realm_admin["email"], creds.realm_admin["password"]
    for attempt in range(5):
        sign_in(page, server, email, f"wrong-{attempt}")
        page.wait_for_selector(".flash-error")
    assert "Too many unsuccessful attempts" in page.inner_text(".flash-error")
    sign_in(page, server, email, good)
    page.wait_for_selector(".flash-error")
    assert "Too many unsuccessful attempts" in page.inner_text(".flash-error")
    with psycopg.connect(dsn) as conn:
        locked_for = conn.execute(
            "SELECT extract(epoch FROM locked_until - now()) FROM users"
            " WHERE email = %s",
            (email,),
        ).fetchone()[0]
    assert 0 < locked_for <= LOCKOUT_SECONDS
    time.sleep(float(locked_for) + 0.2)
    sign_in(page, server, email, good)
    page.wait_for_url("**/login/register-phone")
