"""Web-view reports delivered to the realm's webhook instead of SMS (§8.4)."""

from __future__ import annotations

import base64
import json

import falcon.testing
import pytest

from api.redirect.app import create_app
from db.queries.realms import core as realms_q
from models.errors import DomainError, ErrorCode
from models.redirect.rules import webhook_signature
from tests.api.redirect.webview import open_form, post_form
from tests.fakes.webhook import fake_webhook_server

ISSUED = {
    "code": "12345678",
    "generatedSMS": "Your code <12345678>",
    "phone": "+12065550100",
}


@pytest.fixture
def webhook(conn, services, realm, submitter):
    with fake_webhook_server() as hook:
        realms_q.update_realm(
            conn,
            realm,
            user_report_webhook_url=hook.url,
            user_report_webhook_secret=services.envelope.encrypt_text("s3cret"),
        )
        submitter.result = dict(ISSUED)
        yield hook


def test_issued_code_is_posted_signed(client, device_key, submitter, webhook):
    resp = post_form(client, open_form(client, device_key))
    assert 'id="success"' in resp.text
    (report,) = submitter.reports
    assert report.only_generate_sms
    ((headers, body),) = webhook.received
    posted = json.loads(body)
    assert 1024 <= len(base64.b64decode(posted.pop("padding"))) <= 2047
    assert posted == ISSUED
    assert b"\\u003c12345678\\u003e" in body  # Go's HTML-safe JSON
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Signature"] == webhook_signature("s3cret", body)


def test_webhook_failure_keeps_the_nonce_for_a_retry(
    client, device_key, submitter, webhook
):
    webhook.status = 500
    opened = open_form(client, device_key)
    resp = post_form(client, opened)
    assert "Something went wrong on our side" in resp.text
    assert 'id="report-form"' in resp.text
    webhook.status = 200
    retry = post_form(client, opened, _cookie=resp.cookies["en-user-report"].value)
    assert 'id="success"' in retry.text
    assert len(submitter.reports) == 2 and len(webhook.received) == 2


def test_already_reported_phone_is_not_posted(client, device_key, submitter, webhook):
    submitter.error = DomainError("later", ErrorCode.USER_REPORT_TRY_LATER)
    assert 'id="success"' in post_form(client, open_form(client, device_key)).text
    assert webhook.received == []


def test_real_issuance_posts_the_generated_sms(
    conn, services, clock, realm, device_key
):
    realms_q.update_realm(
        conn,
        realm,
        allow_generated_sms=True,
        user_report_webhook_secret=services.envelope.encrypt_text("s3cret"),
    )
    with fake_webhook_server() as hook:
        realms_q.update_realm(conn, realm, user_report_webhook_url=hook.url)
        client = falcon.testing.TestClient(create_app(services))
        resp = post_form(client, open_form(client, device_key), phone="+12065550100")
        assert 'id="success"' in resp.text
        ((headers, body),) = hook.received
    posted = json.loads(body)
    assert posted["phone"] == "+12065550100"
    assert posted["code"] and posted["code"] in posted["generatedSMS"]
    assert headers["X-Signature"] == webhook_signature("s3cret", body)
    (test_type,) = conn.execute(
        "SELECT test_type FROM verification_codes WHERE realm_id = %(id)s",
        {"id": realm},
    ).fetchone()
    assert test_type == "user-report"
