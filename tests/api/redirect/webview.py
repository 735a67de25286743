"""Web-view test fixtures and helpers: a realm, its device key, a recorder."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import urllib.parse

import falcon.testing
import pytest

from api.redirect.app import create_app
from db.queries.realms import core as realms_q
from models.clock import FixedClock
from models.errors import DomainError
from models.realms.apikeys import KeyType, create_api_key

REDIRECT_DOMAIN = "report.example.org"

NONCE = os.urandom(256)
NONCE_B64 = base64.b64encode(NONCE).decode()
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


class Recorder:
    """A submitter that records reports and raises what it is told to."""

    def __init__(self):
        self.reports = []
        self.error: DomainError | None = None
        self.result: dict | None = None

    def __call__(self, realm, report):
        self.reports.append(report)
        if self.error is not None:
            raise self.error
        return self.result


@pytest.fixture
def realm(conn):
    return realms_q.insert_realm(
        conn,
        "Web View Realm",
        region_code="US-WV",
        allowed_test_types=2 | 16,
        allow_user_report_web_view=True,
        user_report_learn_more_url="https://example.org/more",
    )


@pytest.fixture
def device_key(conn, services, realm):
    key, _ = create_api_key(
        conn, services.secrets, realm_id=realm, name="app", key_type=KeyType.DEVICE
    )
    return key


@pytest.fixture
def clock(services):
    services.clock = FixedClock(NOW)
    return services.clock


@pytest.fixture
def submitter():
    return Recorder()


@pytest.fixture
def client(services, clock, submitter):
    return falcon.testing.TestClient(create_app(services, submit_report=submitter))


def open_form(client, key, nonce=NONCE_B64, **headers):
    return client.simulate_get(
        "/report",
        headers={
            "Host": REDIRECT_DOMAIN,
            "X-API-Key": key,
            "X-Nonce": nonce,
            **headers,
        },
    )


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post_form(client, opened, _cookie=None, **fields):
    form = {
        "csrf_token": csrf_of(opened.text),
        "testDate": "2026-03-08",
        "phone": "+1 206 555 0100",
        "agreement": "true",
        **fields,
    }
    return client.simulate_post(
        "/report/issue",
        headers={"Host": REDIRECT_DOMAIN, "User-Agent": "Android"},
        cookies={"en-user-report": _cookie or opened.cookies["en-user-report"].value},
        content_type="application/x-www-form-urlencoded",
        body=urllib.parse.urlencode(form),
    )
