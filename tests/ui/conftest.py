"""Fixtures for UI tests: the app over the rolled-back connection, a fixed clock."""

from __future__ import annotations

import base64
import datetime as dt
import os
from types import SimpleNamespace

import psycopg
import pytest

from db.crypto import Envelope
from db.pool import SingleConnectionSource
from db.secrets import SecretStore
from models.accounts.outbox import MailOutbox
from models.clock import FixedClock
from models.realms.bootstrap import bootstrap_demo
from models.secrets import Secrets
from models.services import build_services
from models.settings import Settings
from tests.fakes.smtp import SmtpSink
from tests.issuing import add_sms_config
from tests.support import TEST_KEK, free_port, gunicorn, make_env
from tests.ui.browser import ARGS, CHROMIUM, LOCKOUT_SECONDS
from tests.ui.client import UiClient


@pytest.fixture
def clock():
    """A clock a minute ahead of the database's transaction time."""
    # Bootstrap stamps sessions_valid_after with the database's now();
    # starting later keeps freshly created sessions valid.
    return FixedClock(
        dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(minutes=1)
    )


@pytest.fixture
def ui_env():
    """Extra environment for the UI app (tests override keys)."""
    return {"DEV_MODE": "true"}


@pytest.fixture
def ui_services(conn, clock, ui_env):
    """Services for the UI over the test connection."""
    settings = Settings.from_env(make_env(**ui_env))
    services = build_services(settings, db=SingleConnectionSource(conn), clock=clock)
    yield services
    services.close()


@pytest.fixture
def demo(conn, ui_services):
    """The demo realm and its two users with known passwords."""
    return bootstrap_demo(conn, ui_services.secrets)


@pytest.fixture
def sink():
    """A local SMTP server keeping every message."""
    with SmtpSink() as server:
        yield server


@pytest.fixture
def outbox():
    """The background mail queue of the app (``drain()`` before reading mail)."""
    box = MailOutbox()
    yield box
    box.close()


@pytest.fixture
def app(ui_services, outbox):
    """The UI app."""
    from ui.app import create_app

    return create_app(ui_services, outbox)


@pytest.fixture
def browser(app):
    """A cookie-keeping client."""
    return UiClient(app)


@pytest.fixture
def signed_in(browser, demo):
    """A client signed in as the demo realm admin with the realm chosen."""
    result = browser.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    assert result.status_code == 303, result.text
    assert (
        browser.get("/login/select-realm")
        .headers["Location"]
        .endswith("/login/post-authenticate")
    )
    # The demo realm's MFA mode is "prompt": the first realm page asks once.
    assert (
        browser.get("/codes/issue")
        .headers["Location"]
        .endswith("/login/register-phone")
    )
    assert browser.get("/login/register-phone").status_code == 200
    return browser


# Browser-test fixtures: a committed demo database, gunicorn, Chromium.


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
    """Base URL of the UI under gunicorn; mail links point at it."""
    port = free_port()
    env = {**stack_env, "SERVER_ENDPOINT": f"http://127.0.0.1:{port}"}
    with gunicorn("ui.app:get_app()", env, workers=2, port=port) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    playwright_api = pytest.importorskip("playwright.sync_api")

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
