"""End-to-end scenarios in headless Chromium against gunicorn (issue 7).

Each test gets its own committed database (``fresh_db``) bootstrapped with the
demo realm, and a gunicorn serving ``ui.app:get_app()`` on a free port.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.request
from types import SimpleNamespace

import psycopg
import pyotp
import pytest

from db.crypto import Envelope
from db.secrets import SecretStore
from models.realms.bootstrap import bootstrap_demo
from models.secrets import Secrets
from tests.issuing import add_sms_config
from tests.support import TEST_KEK, gunicorn, make_env

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LOCKOUT_SECONDS = 3


@pytest.fixture
def demo_db(fresh_db):
    """The demo realm (with an SMS provider) committed in a private database."""
    envelope = Envelope(base64.b64decode(TEST_KEK))
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        creds = bootstrap_demo(conn, Secrets(SecretStore(envelope)))
        add_sms_config(conn, SimpleNamespace(envelope=envelope), creds.realm_id)
    return fresh_db, creds


@pytest.fixture
def stack_env(demo_db, fake_sms):
    """Environment shared by the UI and the apiserver under test."""
    dsn, _ = demo_db
    return make_env(
        DATABASE_URL=dsn,
        DEV_MODE="true",
        ENCV_SIGNIN_LOCKOUT=f"{LOCKOUT_SECONDS}s",
        ENCV_SMS_API_URL=fake_sms.url,
        ENCV_LOG_LEVEL="WARNING",
    )


@pytest.fixture
def server(stack_env):
    """Base URL of the UI under gunicorn."""
    with gunicorn("ui.app:get_app()", stack_env, workers=2) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    playwright_api = pytest.importorskip("playwright.sync_api")
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    yield page
    context.close()


def expect(locator):
    """Playwright's auto-retrying assertions (no page-side eval under our CSP)."""
    from playwright.sync_api import expect as pw_expect

    return pw_expect(locator)


def _sign_in(page, base, email, password):
    page.goto(base + "/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#submit")


def _to_issue_page(page, base, creds):
    _sign_in(page, base, creds.realm_admin["email"], creds.realm_admin["password"])
    # Demo realm MFA mode is "prompt": asked once, then allowed through.
    page.wait_for_url("**/login/register-phone")
    page.click("#skip-mfa")
    page.wait_for_url("**/codes/issue")


def test_realm_admin_signs_in(page, server, demo_db):
    _, creds = demo_db
    _to_issue_page(page, server, creds)
    assert page.is_visible("text=Bulk issue codes")
    assert page.inner_text(".brand") == "Demo Health Authority - US-DEMO"
    page.click("summary")
    page.click("#signout")
    page.wait_for_url(server + "/")
    assert page.is_visible("#password")


def test_enrol_totp_and_sign_in_with_code(page, server, demo_db):
    _, creds = demo_db
    _sign_in(page, server, creds.realm_admin["email"], creds.realm_admin["password"])
    page.wait_for_url("**/login/register-phone")
    secret = page.inner_text("#totp-secret").strip()
    page.fill("#display_name", "Test phone")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("#mfa-submit")
    page.wait_for_selector("text=Authenticator app added.")
    assert page.is_visible("td:has-text('Test phone')")
    page.goto(server + "/signout")
    _sign_in(page, server, creds.realm_admin["email"], creds.realm_admin["password"])
    page.wait_for_selector("#totp")
    page.fill("#totp", pyotp.TOTP(secret).now())
    page.click("#submit")
    # The session passed a second factor: straight to the issue page.
    page.wait_for_url("**/codes/issue")


def test_issue_code_and_verify_it_on_the_apiserver(page, server, demo_db, stack_env):
    dsn, creds = demo_db
    _to_issue_page(page, server, creds)
    page.check("input[name=testType][value=confirmed]")
    page.click("#issue-submit")
    page.wait_for_selector("#issue-result:not([hidden])")
    code = page.get_attribute("#code-digits", "data-code")
    uuid = page.inner_text("#code-uuid").strip()
    assert code and len(code) == 8 and code.isdigit()
    assert page.locator(".digit").count() == 8
    expect(page.locator("#code-countdown")).to_contain_text("m")
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
    _to_issue_page(page, server, creds)
    page.goto(server + "/codes/bulk-issue")
    page.set_input_files("#csv", str(csv))
    page.click("#bulk-start")
    expect(page.locator("#bulk-percent")).to_have_text("100%", timeout=60_000)
    assert page.inner_text("#bulk-ok") == "200"
    assert page.inner_text("#bulk-failed") == "0"
    assert page.input_value("#start-at") == "201"
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
    _to_issue_page(page, server, creds)
    page.click("#issue-submit")
    page.wait_for_selector("#issue-result:not([hidden])")
    uuid = page.inner_text("#code-uuid").strip()
    page.goto(server + "/codes/status")
    assert page.is_visible(f"a:has-text('{uuid}')")
    page.fill("#uuid", uuid.replace("-", ""))  # the input re-inserts dashes
    page.click("#status-submit")
    page.wait_for_url(f"**/codes/{uuid}")
    assert page.inner_text("#code-state") == "Not yet claimed"
    page.click("#expire-code")
    page.wait_for_selector("text=Expired code.")
    assert page.inner_text("#code-state") == "Expired"
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
        _sign_in(page, server, email, f"wrong-{attempt}")
        page.wait_for_selector(".flash-error")
    assert "Too many unsuccessful attempts" in page.inner_text(".flash-error")
    _sign_in(page, server, email, good)
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
    _sign_in(page, server, email, good)
    page.wait_for_url("**/login/register-phone")
