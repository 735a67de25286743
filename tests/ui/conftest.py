"""Fixtures for UI tests: the app over the rolled-back connection, a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest

from db.pool import SingleConnectionSource
from models.clock import FixedClock
from models.realms.bootstrap import bootstrap_demo
from models.services import build_services
from models.settings import Settings
from tests.support import make_env
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
def app(ui_services):
    """The UI app."""
    from ui.app import create_app

    return create_app(ui_services)


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
