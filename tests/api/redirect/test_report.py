"""The user-report web view through the whole app (protocol §8.5)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid

import falcon.testing
import pytest

from api.redirect.app import create_app
from db.pool import SingleConnectionSource
from db.queries.realms import core as realms_q
from models.errors import DomainError, ErrorCode
from models.realms.apikeys import KeyType, create_api_key
from models.services import build_services
from models.settings import Settings
from tests.api.redirect.conftest import HOSTS, REDIRECT_DOMAIN
from tests.api.redirect.webview import (
    NONCE,
    NONCE_B64,
    csrf_of,
    open_form,
    post_form,
)
from tests.support import make_env


def test_form_is_shown_for_a_device_key_and_nonce(client, device_key):
    resp = open_form(client, device_key)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/html")
    assert 'id="report-form"' in resp.text
    assert 'min="2026-02-10" max="2026-03-10"' in resp.text
    assert "https://example.org/more" in resp.text
    cookie = resp.cookies["en-user-report"]
    assert cookie.http_only and cookie.same_site == "Strict"
    assert cookie.max_age == 3600 and cookie.path == "/"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Cache-Control"] == "no-store"


def test_submitting_passes_the_report_and_clears_the_nonce(
    client, device_key, submitter, realm
):
    opened = open_form(client, device_key)
    resp = post_form(client, opened)
    assert resp.status_code == 200
    assert 'id="success"' in resp.text
    (report,) = submitter.reports
    assert report.realm_id == realm
    assert report.nonce == NONCE
    assert report.phone == "+1 206 555 0100"
    assert report.test_date == "2026-03-08" and report.symptom_date == ""
    assert report.language == "en"
    # The nonce is spent: the same session cannot submit twice.
    again = client.simulate_post(
        "/report/issue",
        headers={"Host": REDIRECT_DOMAIN},
        cookies={"en-user-report": resp.cookies["en-user-report"].value},
        content_type="application/x-www-form-urlencoded",
        body=f"csrf_token={csrf_of(opened.text)}&phone=1&agreement=true",
    )
    assert again.status_code == 404
    assert len(submitter.reports) == 1


def test_ios_success_page_offers_to_close(client, device_key):
    opened = open_form(client, device_key)
    cookie = opened.cookies["en-user-report"].value
    resp = client.simulate_post(
        "/report/issue",
        headers={"Host": REDIRECT_DOMAIN, "User-Agent": "Mozilla (iPhone)"},
        cookies={"en-user-report": cookie},
        content_type="application/x-www-form-urlencoded",
        body=f"csrf_token={csrf_of(opened.text)}&phone=1&agreement=on",
    )
    assert 'id="close-hint"' in resp.text


@pytest.mark.parametrize(
    ("host", "status"),
    [("elsewhere.example.org", 401), (f"{REDIRECT_DOMAIN.upper()}:8083", 200)],
)
def test_only_the_redirect_domain_serves_the_form(client, device_key, host, status):
    assert open_form(client, device_key, Host=host).status_code == status


def test_key_must_be_a_device_key(client, conn, services, realm):
    admin, _ = create_api_key(
        conn, services.secrets, realm_id=realm, name="adm", key_type=KeyType.ADMIN
    )
    assert open_form(client, admin).status_code == 401
    assert open_form(client, "").status_code == 401
    assert open_form(client, "nope.1.abc").status_code == 401


def test_realm_without_web_view_is_not_found(client, conn, device_key, realm):
    realms_q.update_realm(conn, realm, allow_user_report_web_view=False)
    resp = open_form(client, device_key, Accept="application/json")
    assert resp.status_code == 404 and resp.json == "Not Found"


def test_empty_nonce_answers_the_invalid_page(client, device_key):
    resp = open_form(client, device_key, nonce="")
    assert resp.status_code == 200
    assert "Request not valid" in resp.text and "report-form" not in resp.text


@pytest.mark.parametrize("nonce", ["!!!", base64.b64encode(b"x" * 255).decode()])
def test_bad_nonce_shows_an_error_and_no_form(client, device_key, nonce):
    resp = open_form(client, device_key, nonce=nonce)
    assert resp.status_code == 200
    assert "This request is not valid" in resp.text
    assert "report-form" not in resp.text


def test_debug_query_params_stand_in_for_headers_in_dev_mode(client, device_key):
    resp = client.simulate_get(
        "/report",
        headers={"Host": REDIRECT_DOMAIN},
        params={"apikey": device_key, "nonce": NONCE_B64},
    )
    assert 'id="report-form"' in resp.text


def test_post_without_csrf_token_is_refused(client, device_key, submitter):
    opened = open_form(client, device_key)
    resp = client.simulate_post(
        "/report/issue",
        headers={"Host": REDIRECT_DOMAIN},
        cookies={"en-user-report": opened.cookies["en-user-report"].value},
        content_type="application/x-www-form-urlencoded",
        body="csrf_token=AAAA&phone=1&agreement=true",
    )
    assert resp.status_code == 401
    assert submitter.reports == []


def test_post_without_session_is_not_found(client, submitter):
    resp = client.simulate_post(
        "/report/issue",
        headers={"Host": REDIRECT_DOMAIN},
        cookies={"en-user-report": "forged"},
        content_type="application/x-www-form-urlencoded",
        body="phone=1&agreement=true",
    )
    assert resp.status_code == 404 and submitter.reports == []


def test_session_expires_after_its_duration(client, clock, device_key, submitter):
    opened = open_form(client, device_key)
    clock.advance(hours=1, seconds=1)
    assert post_form(client, opened).status_code == 404
    assert submitter.reports == []


def test_unreadable_form_is_a_422(client, device_key):
    opened = open_form(client, device_key)
    resp = client.simulate_post(
        "/report/issue",
        headers={"Host": REDIRECT_DOMAIN, "Accept": "text/html"},
        cookies={"en-user-report": opened.cookies["en-user-report"].value},
        content_type="application/json",
        body="{not json",
    )
    assert resp.status_code == 422


def test_agreement_is_required(client, device_key, submitter):
    resp = post_form(client, open_form(client, device_key), agreement="false")
    assert "Please confirm the statement above." in resp.text
    assert 'value="+1 206 555 0100"' in resp.text
    assert submitter.reports == []


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        (ErrorCode.INVALID_DATE, "The test date is not valid"),
        (ErrorCode.MISSING_PHONE, "Please enter a mobile phone number."),
        (ErrorCode.SMS_FAILURE, "We could not send a text message"),
        (ErrorCode.QUOTA_EXCEEDED, "Too many codes were requested today"),
    ],
)
def test_fixable_errors_re_render_the_form(client, device_key, submitter, code, shown):
    submitter.error = DomainError("date must be on or after 2026-02-10", code)
    resp = post_form(client, open_form(client, device_key))
    assert resp.status_code == 200
    assert shown in resp.text and 'id="report-form"' in resp.text
    if code == ErrorCode.INVALID_DATE:
        assert "date must be on or after 2026-02-10" in resp.text


def test_already_reported_phone_looks_like_success(client, device_key, submitter):
    submitter.error = DomainError("try later", ErrorCode.USER_REPORT_TRY_LATER)
    resp = post_form(client, open_form(client, device_key))
    assert 'id="success"' in resp.text


def test_other_errors_show_an_internal_error_without_form(
    client, device_key, submitter
):
    submitter.error = DomainError("boom", ErrorCode.INTERNAL, 500)
    resp = post_form(client, open_form(client, device_key))
    assert "Something went wrong on our side" in resp.text
    assert "report-form" not in resp.text


def test_spanish_from_accept_language_and_lang_parameter(client, device_key):
    resp = open_form(client, device_key, **{"Accept-Language": "de;q=0.9, es-MX"})
    assert "Solicitar un código de verificación" in resp.text
    assert '<html lang="es"' in resp.text
    resp = client.simulate_get(
        "/report",
        headers={"Host": REDIRECT_DOMAIN, "X-API-Key": device_key, "X-Nonce": "!"},
        params={"lang": "es"},
    )
    assert "Esta solicitud no es válida" in resp.text


def test_realm_default_locale_does_not_pick_the_catalogue(client, conn, device_key):
    # Spec 9: lang, Accept-Language, then English; the realm's default locale
    # only chooses among its dynamic translations (tests/api/redirect/
    # test_dynamic_translations.py).
    realms_q.update_realm(conn, _realm_id(conn), default_locale="es")
    page = open_form(client, device_key).text
    assert "Send my code" in page and '<html lang="en"' in page


def _realm_id(conn):
    return realms_q.get_realm_by_region(conn, "US-WV").id


def test_report_routes_are_rate_limited_per_ip(conn, redis_client, redis_url, realm):
    settings = Settings.from_env(
        make_env(
            DEV_MODE="true",
            HOSTNAME_TO_REGION=HOSTS,
            ENX_REDIRECT_DOMAIN=REDIRECT_DOMAIN,
            REDIS_URL=redis_url,
            RATE_LIMIT_TYPE="redis",
            RATE_LIMIT_TOKENS="2",
            ENCV_TRUSTED_PROXY_HOPS="1",
        )
    )
    services = build_services(
        settings,
        db=SingleConnectionSource(conn),
        redis=redis_client,
        namespace=f"t{uuid.uuid4().hex[:8]}",
    )
    key, _ = create_api_key(
        conn, services.secrets, realm_id=realm, name="k", key_type=KeyType.DEVICE
    )
    ips = [f"10.{os.getpid() % 250}.{uuid.uuid4().int % 250}.{n}" for n in (7, 8)]
    hmac_key = services.secrets.keys(conn, "rate_limit_hmac")[0]
    stored = [
        "redirect:ratelimit:ip:"
        + hmac.new(hmac_key, ip.encode(), hashlib.sha1).hexdigest()
        for ip in ips
    ]
    client = falcon.testing.TestClient(create_app(services))
    headers = {"X-Forwarded-For": f"{ips[0]}, 192.0.2.1"}
    try:
        first = open_form(client, key, **headers)
        assert first.headers["X-RateLimit-Limit"] == "2"
        assert first.headers["X-RateLimit-Remaining"] == "1"
        assert first.headers["X-RateLimit-Reset"].endswith(" UTC")
        assert redis_client.exists(stored[0])
        assert open_form(client, key, **headers).status_code == 200
        third = open_form(client, key, **headers)
        assert third.status_code == 429
        assert third.text == "Too Many Requests\n"
        assert third.headers["Retry-After"] == third.headers["X-RateLimit-Reset"]
        # Another client IP still has its own bucket.
        other = {"X-Forwarded-For": f"{ips[1]}, 192.0.2.1"}
        assert open_form(client, key, **other).status_code == 200
    finally:
        redis_client.delete(*stored)
        services.close()


def test_the_stylesheet_is_served(client):
    # The "/" sink of the link redirector must not swallow /static.
    resp = client.simulate_get("/static/report.css", headers={"Host": REDIRECT_DOMAIN})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/css")
    assert "margin-inline" in resp.text
