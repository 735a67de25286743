"""A new health authority onboarded in the browser, without the demo bootstrap:
the system admin creates the realm and invites its administrator (SMTP fake),
who sets a password, signs in, issues a code that the apiserver then verifies.
Screenshots of every /admin page at desktop and phone width."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import urllib.request

import psycopg
import pytest

from db.crypto import Envelope
from db.secrets import SecretStore
from models import audit
from models.realms.apikeys import KeyType, issue_key
from models.secrets import Secrets
from tests.fakes.smtp import SmtpSink
from tests.support import TEST_KEK, gunicorn
from tests.ui.browser import expect, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


def _admin_pages(page, server, realm_id, user_id, app_id):
    for name, path in (
        ("realms", "/admin/realms"),
        ("realm-new", "/admin/realms/new"),
        ("realm-edit", f"/admin/realms/{realm_id}/edit"),
        ("users", "/admin/users"),
        ("user-new", "/admin/users/new"),
        ("user-show", f"/admin/users/{user_id}"),
        ("user-report", "/admin/user-report"),
        ("mobile-apps", "/admin/mobile-apps"),
        ("mobile-app", f"/admin/mobile-apps/{app_id}"),
        ("sms", "/admin/sms"),
        ("email", "/admin/email"),
        ("caches", "/admin/caches"),
        ("info", "/admin/info"),
    ):
        page.goto(server + path)
        expect(page.locator("#admin-nav")).to_be_visible()
        shoot(page, f"admin-{name}")


def test_onboard_a_health_authority_in_the_browser(
    page, server, demo_db, stack_env, sink
):
    dsn, creds = demo_db
    sign_in(page, server, creds.system_admin["email"], creds.system_admin["password"])
    page.wait_for_url("**/admin/realms")

    page.goto(server + "/admin/email")
    page.fill("#smtp_account", "noreply@utopia.example")
    page.fill("#smtp_host", "127.0.0.1")
    page.fill("#smtp_port", str(sink.port))
    page.click("#save-email")
    expect(page.locator("#flash")).to_contain_text("Successfully updated system email")

    page.goto(server + "/admin/realms/new")
    page.fill("#name", "Utopia Department of Health")
    page.fill("#regionCode", "UT")
    page.select_option("#useRealmCertificateKey", "true")
    page.fill("#certificateIssuer", "gov.utopia.health")
    page.fill("#certificateAudience", "exposure-notifications-server")
    page.check("#can_use_system_email_config")
    page.click("#create-realm")
    page.wait_for_url(re.compile(r".*/admin/realms/\d+/edit"))
    expect(page.locator("#flash")).to_contain_text("Created initial signing key")
    realm_id = int(page.url.rsplit("/", 2)[-2])

    page.fill("#invite-email", "lead@utopia.example")
    page.fill("#invite-name", "Utopia Lead")
    page.click("#invite-admin")
    expect(page.locator("#flash")).to_contain_text("Invitation sent")
    assert [m.rcpt_to for m in sink.messages] == [["lead@utopia.example"]]
    body = sink.bodies()[0]
    assert "Utopia Department of Health" in body
    link = re.search(r"(/login/manage-account\?\S+)", body).group(1)

    with psycopg.connect(dsn, autocommit=True) as conn:
        user_id = conn.execute(
            "SELECT id FROM users WHERE email = 'lead@utopia.example'"
        ).fetchone()[0]
        app_id = conn.execute("SELECT min(id) FROM mobile_apps").fetchone()[0]
    _admin_pages(page, server, realm_id, user_id, app_id)
    page.goto(server + "/signout")

    # The invited administrator chooses a password from the mailed link.
    page.goto(server + link)
    page.fill("#password", "Utopia-Health-2024!")
    page.click("button[type=submit]")
    sign_in(page, server, "lead@utopia.example", "Utopia-Health-2024!")
    page.wait_for_url("**/login/register-phone")
    page.click("#skip-mfa")
    page.wait_for_url("**/codes/issue")

    # API keys through the shared use case (the realm key pages are another issue's).
    envelope = Envelope(base64.b64decode(TEST_KEK))
    actor = audit.user_actor(user_id, "Utopia Lead", "lead@utopia.example")
    with psycopg.connect(dsn, autocommit=True) as conn:
        secrets = Secrets(SecretStore(envelope))
        device_key, _ = issue_key(
            conn,
            secrets,
            realm_id=realm_id,
            name="App",
            key_type=KeyType.DEVICE,
            actor=actor,
        )
        issue_key(
            conn,
            secrets,
            realm_id=realm_id,
            name="Lab",
            key_type=KeyType.ADMIN,
            actor=actor,
        )

    page.check("input[name=testType][value=confirmed]")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    page.fill("#symptomDate", today)
    page.fill("#testDate", today)
    page.click("#issue-submit")
    page.wait_for_selector("#issue-result:not([hidden])")
    code = page.get_attribute("#code-digits", "data-code")
    assert code and code.isdigit()
    with gunicorn("api.device.app:get_app()", stack_env, workers=1) as api:
        request = urllib.request.Request(
            api + "/api/verify",
            data=json.dumps({"code": code}).encode(),
            headers={"Content-Type": "application/json", "X-API-Key": device_key},
        )
        with urllib.request.urlopen(request, timeout=10) as resp:
            verified = json.loads(resp.read())
    assert verified["testtype"] == "confirmed" and verified["token"]

    with psycopg.connect(dsn) as conn:
        actions = [
            r[0]
            for r in conn.execute(
                "SELECT action FROM audit_entries WHERE realm_id = %s ORDER BY id",
                (realm_id,),
            ).fetchall()
        ]
    assert actions[:5] == [
        "created realm",
        "created signing key",
        "added user to realm",
        "created user",
        "added user to realm",
    ]
    assert actions.count("created API key") == 2
