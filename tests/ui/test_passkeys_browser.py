"""Passkeys in headless Chromium with its virtual authenticator (issue 15).

WebAuthn needs a secure context, so the UI is browsed as http://localhost
(gunicorn still binds 127.0.0.1) with SERVER_ENDPOINT saying the same.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.support import free_port, gunicorn
from tests.ui.browser import expect, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def localhost_server(stack_env):
    """The UI under gunicorn, addressed (and relying-party'd) as localhost."""
    port = free_port()
    base = f"http://localhost:{port}"
    env = {**stack_env, "SERVER_ENDPOINT": base}
    with gunicorn("ui.app:get_app()", env, workers=2, port=port):
        yield base


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_register_sign_in_alone_and_as_second_factor_then_remove(
    page, localhost_server, demo_db
):
    dsn, creds = demo_db
    base = localhost_server
    _virtual_authenticator(page)
    email, password = creds.realm_admin["email"], creds.realm_admin["password"]

    # Register from the account page (the sign-in is fresh).
    sign_in(page, base, email, password)
    page.wait_for_url("**/login/register-phone")
    page.goto(base + "/account")
    page.fill("#passkey-name", "Virtual key")
    page.click("#passkey-add-button")
    expect(page.locator("text=Passkey added.")).to_be_visible()
    expect(page.locator("#passkey-list td", has_text="Virtual key")).to_be_visible()
    shoot(page, "passkeys-account")

    # Second factor: the password, then the passkey, straight into the realm.
    page.goto(base + "/signout")
    sign_in(page, base, email, password)
    page.wait_for_selector("#passkey-signin")
    shoot(page, "passkeys-second-factor")
    page.click("#passkey-signin")
    page.wait_for_url("**/codes/issue")

    # Alone: refused until the realm allows it, then accepted.
    page.goto(base + "/signout")
    page.click("#passkey-signin")
    expect(page.locator("text=Sign in with your email address")).to_be_visible()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE realms SET allow_passkey_signin = true")
    page.goto(base + "/")
    page.click("#passkey-signin")
    page.wait_for_url("**/codes/issue")

    # Removed: the authenticator still offers it, the server refuses it.
    page.goto(base + "/account")
    page.click("#passkey-list button:has-text('Remove')")
    expect(page.locator("text=Passkey removed: Virtual key.")).to_be_visible()
    page.goto(base + "/signout")
    page.click("#passkey-signin")
    expect(page.locator("text=Sign-in failed")).to_be_visible()
    assert page.url.rstrip("/") == base
