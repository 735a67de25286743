"""The realm admin's people pages in headless Chromium against gunicorn (issue 10).

API keys work on the adminapi until disabled; an invited case worker sets a
password from the mailed link, issues codes and cannot reach admin pages or
grant themselves more; a registered Android app shows up in assetlinks.json.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import psycopg
import pytest

from models.accounts.rbac import LEGACY_REALM_USER, Permission
from tests.fakes.smtp import SmtpSink
from tests.support import gunicorn
from tests.ui.browser import expect, shoot, sign_in, to_issue_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHA = ":".join(["5C"] * 32)


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


@pytest.fixture
def stack_env(stack_env, sink):
    """The shared stack environment plus the local SMTP sink."""
    return {
        **stack_env,
        "ENCV_SMTP_HOST": "127.0.0.1",
        "ENCV_SMTP_PORT": str(sink.port),
        "ENCV_SMTP_FROM": "noreply@example.com",
    }


def _post_json(url: str, body: dict, key: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-API-Key": key},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310
            return resp.status
    except urllib.error.HTTPError as ex:
        return ex.code


def test_api_keys_and_mobile_apps(page, server, demo_db, stack_env):
    dsn, creds = demo_db
    to_issue_page(page, server, creds)

    page.goto(server + "/realm/apikeys")
    expect(page.locator("#apikeys-table")).to_contain_text("Demo admin key")
    shoot(page, "realm-apikeys-index")
    page.click("#new-apikey")
    page.fill("#name", "PHA case system")
    page.select_option("#type", "1")
    shoot(page, "realm-apikeys-new")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/realm/apikeys/\d+$"))
    key = page.input_value("#api-key")
    assert key.count(".") == 2
    shoot(page, "realm-apikeys-show-once")
    key_url = page.url
    page.goto(key_url)
    assert page.locator("#api-key").count() == 0  # never shown again
    page.click("#edit-apikey")
    shoot(page, "realm-apikeys-edit")

    with gunicorn("api.admin.app:get_app()", stack_env, workers=1) as admin:
        issue = {"testType": "confirmed"}
        assert _post_json(admin + "/api/issue", issue, key) == 200
        page.goto(key_url)
        page.click("#disable-apikey")  # the confirm dialog is accepted
        page.wait_for_url("**/realm/apikeys")
        expect(page.locator("#flash")).to_contain_text("Successfully disabled")
        shoot(page, "realm-apikeys-disabled")
        assert _post_json(admin + "/api/issue", issue, key) == 401

    page.goto(server + "/realm/mobile-apps")
    shoot(page, "realm-mobile-apps-index")
    page.click("#new-mobile-app")
    page.fill("#name", "Exposure Alert")
    page.select_option("#os", "2")
    page.fill("#app_id", "org.example.alert")
    page.fill("#url", "https://play.google.com/store/apps/details?id=org.example")
    page.fill("#sha", "AB:CD")
    page.click("#submit")
    expect(page.locator("#sha-error")).to_contain_text("must be 95 characters")
    shoot(page, "realm-mobile-apps-invalid")
    page.fill("#sha", SHA.lower())
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/realm/mobile-apps/\d+$"))
    expect(page.locator("#app-id")).to_have_text("org.example.alert")
    shoot(page, "realm-mobile-apps-show")
    page.click("#edit-mobile-app")
    shoot(page, "realm-mobile-apps-edit")

    env = {**stack_env, "HOSTNAME_TO_REGION": f"127.0.0.1:{creds.region_code}"}
    with gunicorn("api.redirect.app:get_app()", env, workers=1) as redirect:
        with urllib.request.urlopen(  # noqa: S310
            redirect + "/.well-known/assetlinks.json", timeout=10
        ) as resp:
            statements = json.load(resp)
    targets = {s["target"]["package_name"]: s["target"] for s in statements}
    assert targets["org.example.alert"]["sha256_cert_fingerprints"] == [SHA]


def test_invited_case_worker(page, chromium, server, demo_db, sink):
    dsn, creds = demo_db
    to_issue_page(page, server, creds)
    page.goto(server + "/realm/users")
    shoot(page, "realm-users-index")
    page.click("#new-user")
    page.fill("#name", "Casey Worker")
    page.fill("#email", "casey@example.com")
    page.check("#perm-CodeIssue")
    page.check("#perm-CodeRead")
    shoot(page, "realm-users-new")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/realm/users/\d+$"))
    expect(page.locator("#member-permissions")).to_contain_text("CodeIssue")
    shoot(page, "realm-users-show")
    casey_id = int(page.url.rsplit("/", 1)[1])
    page.click("#edit-user")
    shoot(page, "realm-users-edit")
    page.goto(server + "/realm/users/import")
    shoot(page, "realm-users-import")
    page.fill("#csv", "pat@example.com, Pat\nnot-an-address\n")
    page.uncheck("#send_invites")
    page.click("#import-submit")
    expect(page.locator("#import-results")).to_contain_text("email must contain @")
    shoot(page, "realm-users-import-results")
    page.goto(server + "/realm/users")
    page.check('input[name=user_id][aria-label="Select Pat"]')
    page.check("#bulk-perm-StatsRead")
    page.click("#bulk-add")
    page.wait_for_url("**/realm/users")
    expect(page.locator("#flash")).to_contain_text("Successfully updated permissions")
    shoot(page, "realm-users-bulk")

    ((_, recipients, _),) = sink.messages
    assert recipients == ["casey@example.com"]
    link = re.search(r"(http://\S+/login/manage-account\S+)", sink.bodies()[0])
    assert link and link.group(1).startswith(server)

    casey = chromium.new_context().new_page()
    casey.set_default_timeout(15_000)
    casey.on("dialog", lambda dialog: dialog.accept())
    casey.goto(link.group(1))
    casey.fill("#password", "Casey-Password-2026!")
    casey.click("button[type=submit]")
    casey.wait_for_url(server + "/")
    sign_in(casey, server, "casey@example.com", "Casey-Password-2026!")
    casey.wait_for_url("**/login/register-phone")
    casey.click("#skip-mfa")
    casey.wait_for_url("**/codes/issue")
    casey.check("input[name=testType][value=confirmed]")
    casey.click("#issue-submit")
    casey.wait_for_selector("#issue-result:not([hidden])")
    assert casey.get_attribute("#code-digits", "data-code").isdigit()

    # 404 until the settings page's branch is merged; then the gate's 401.
    assert casey.goto(server + "/realm/settings").status in (401, 404)
    for path in ("/realm/users", f"/realm/users/{casey_id}/edit", "/realm/apikeys"):
        assert casey.goto(server + path).status == 401
    casey.goto(server + "/codes/issue")
    token = casey.get_attribute("meta[name=csrf-token]", "content")
    grab = casey.request.post(
        f"{server}/realm/users/{casey_id}",
        form={
            "csrf_token": token,
            "_method": "PATCH",
            "name": "Casey",
            "permissions": str(int(Permission.USER_WRITE)),
        },
        max_redirects=0,
    )
    assert grab.status == 401
    with psycopg.connect(dsn) as conn:
        perms = conn.execute(
            "SELECT permissions FROM memberships WHERE user_id = %s", (casey_id,)
        ).fetchone()[0]
        pat = conn.execute(
            "SELECT m.permissions FROM memberships m JOIN users u ON u.id = m.user_id"
            " WHERE u.email = 'pat@example.com'"
        ).fetchone()[0]
    assert perms == Permission.CODE_ISSUE | Permission.CODE_READ
    assert pat == LEGACY_REALM_USER | Permission.STATS_READ
    casey.context.close()
