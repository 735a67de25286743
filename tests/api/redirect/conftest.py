"""Realms, apps and settings the redirector tests share (protocol §12.10)."""

from __future__ import annotations

import pytest

from db.queries.realms import core as realms_q
from db.queries.realms import mobile_apps as apps_q
from tests.api.redirect.webview import (  # noqa: F401 - shared fixtures
    REDIRECT_DOMAIN,
    client,
    clock,
    device_key,
    realm,
    submitter,
)
from tests.support import make_env

HOSTS = "bad:nope,realm1:aa,realm2:bb,realm3:cc,empty:aa,okay:bb"


@pytest.fixture
def settings():
    """Dev-mode settings with the hosts of the original's redirect tests."""
    from models.settings import Settings

    return Settings.from_env(
        make_env(
            DEV_MODE="true",
            HOSTNAME_TO_REGION=HOSTS,
            ENX_REDIRECT_DOMAIN=REDIRECT_DOMAIN,
        )
    )


@pytest.fixture
def vector_realms(conn):
    """AA has no apps, BB has an iOS and an Android app, CC has ENX and no apps."""
    realm_aa = realms_q.insert_realm(conn, "Realm AA", region_code="AA")
    realm_bb = realms_q.insert_realm(conn, "Realm BB", region_code="BB")
    realm_cc = realms_q.insert_realm(
        conn, "Realm CC", region_code="CC", enable_en_express=True
    )
    apps_q.upsert_mobile_app(
        conn,
        realm_id=realm_bb,
        name="app1",
        os=1,
        app_id="com.example.app1",
        url="https://app1.example.com/",
    )
    apps_q.upsert_mobile_app(
        conn,
        realm_id=realm_bb,
        name="app2",
        os=2,
        app_id="com.example.app2",
        url="https://app2.example.com/",
        sha="AA:BB:CC\n11:22:33",
    )
    return {"AA": realm_aa, "BB": realm_bb, "CC": realm_cc}
