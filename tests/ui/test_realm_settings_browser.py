"""Realm settings in headless Chromium against gunicorn (issue 10, items 1, 2, 7)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import psycopg
import pytest

from tests.support import gunicorn
from tests.ui.browser import expect, shoot, to_issue_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SID = "AC" + "7" * 32
TABS = ("general", "codes", "sms", "email", "security", "abuse_prevention")


def _issue(base: str, key: str, test_type: str) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + "/api/issue",
        data=json.dumps({"testType": test_type}).encode(),
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as ex:
        return ex.code, json.loads(ex.read())


def test_admin_configures_sms_then_bulk_upload_sends(
    page, server, demo_db, fake_sms, tmp_path
):
    dsn, creds = demo_db
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DELETE FROM sms_configs")
    to_issue_page(page, server, creds)
    page.goto(server + "/realm/settings#sms")
    page.fill("#twilio_account_sid", SID)
    page.fill("#twilio_auth_token", "fake-token-1")
    page.fill("#twilio_from_number", "+15005550006")
    page.click("#save-sms")
    page.wait_for_url("**/realm/settings#sms")
    expect(page.locator("text=Successfully updated realm settings")).to_be_visible()
    shoot(page, "realm-settings-sms-saved")
    csv = tmp_path / "people.csv"
    csv.write_text("".join(f"+1206555{i:04d},,\n" for i in range(20)))
    page.goto(server + "/codes/bulk-issue")
    page.set_input_files("#csv", str(csv))
    page.click("#bulk-start")
    expect(page.locator("#bulk-percent")).to_have_text("100%", timeout=60_000)
    assert page.inner_text("#bulk-ok") == "20"
    assert len(fake_sms.messages) == 20
    assert {m.account_sid for m in fake_sms.messages} == {SID}
    assert {m.auth for m in fake_sms.messages} == {(SID, "fake-token-1")}


@pytest.fixture
def shared_env(stack_env, redis_url):
    """UI and adminapi sharing one Redis, as in production."""
    return {**stack_env, "REDIS_URL": redis_url, "RATE_LIMIT_TYPE": "noop"}


def test_turning_off_likely_refuses_it_on_the_admin_api(page, demo_db, shared_env):
    _, creds = demo_db
    with (
        gunicorn("ui.app:get_app()", shared_env) as ui,
        gunicorn("api.admin.app:get_app()", shared_env) as admin,
    ):
        # Warm the adminapi's realm cache before the change.
        assert _issue(admin, creds.admin_api_key, "likely")[0] == 200
        to_issue_page(page, ui, creds)
        page.goto(ui + "/realm/settings#general")
        page.click("text=Advanced settings")
        page.click("#disable-express")
        page.wait_for_url("**/realm/settings#enx")
        expect(page.locator("text=Successfully disabled EN Express")).to_be_visible()
        page.goto(ui + "/realm/settings#codes")
        page.check("#test-types-2")
        page.click("#save-codes")
        page.wait_for_url("**/realm/settings#codes")
        expect(page.locator("text=Successfully updated realm settings")).to_be_visible()
        status, body = _issue(admin, creds.admin_api_key, "likely")
        assert status == 400
        assert body["errorCode"] == "unsupported_test_type"
        assert _issue(admin, creds.admin_api_key, "confirmed")[0] == 200
        for tab in ("enx", *TABS):
            page.goto(ui + f"/realm/settings#{tab}")
            expect(page.locator(f"#tab-{tab}")).to_have_class("nav-link active")
            shoot(page, f"realm-settings-{tab}")


def test_key_pages(page, server, demo_db):
    _, creds = demo_db
    to_issue_page(page, server, creds)
    page.goto(server + "/realm/keys")
    shoot(page, "realm-keys-empty")
    page.click("#create-key")
    page.wait_for_selector("text=Created new key ID")
    page.fill("#certificate_issuer", "demo-issuer")
    page.fill("#certificate_audience", "exposure-notifications-server")
    page.click("#save-certificate")
    page.wait_for_selector("text=Updated realm certificate settings.")
    page.click("#upgrade-keys")
    page.wait_for_selector("text=Successfully switched to realm specific signing keys.")
    assert page.inner_text("#active-kid").startswith(f"r{creds.realm_id}v")
    shoot(page, "realm-keys")
    page.goto(server + "/realm/sms-keys")
    page.click("#create-key")
    page.wait_for_selector("text=Successfully created new key")
    page.click("#enable-auth-sms")
    page.wait_for_selector("text=Successfully enabled authenticated SMS.")
    assert page.inner_text("#auth-sms-state") == "enabled"
    shoot(page, "realm-sms-keys")
