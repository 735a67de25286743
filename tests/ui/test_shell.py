"""The shell: rate limits, HTTPS redirect, locale choice, method override."""

from __future__ import annotations

import pytest

from ui.i18n import load_catalogues


@pytest.fixture
def ui_env():
    return {"DEV_MODE": "true", "RATE_LIMIT_TYPE": "memory", "RATE_LIMIT_TOKENS": "3"}


def test_rate_limit_headers_and_429(browser):
    for _ in range(3):
        result = browser.get("/")
        assert result.status_code == 200
        assert result.headers["X-RateLimit-Limit"] == "3"
    limited = browser.get("/")
    assert limited.status_code == 429
    assert "Retry-After" in limited.headers
    # Health checks are outside the session stack and never limited.
    assert browser.get("/health").status_code == 200


def test_translation_falls_back_and_formats():
    catalogs = load_catalogues()
    assert catalogs.t("es", "mfa.notice-required", "R").startswith("R exige")
    assert catalogs.t("es", "no.such.id") == "no.such.id"


def test_spanish_covers_every_case_worker_page_message():
    catalogs = load_catalogues()
    english, spanish = catalogs.messages["en"], catalogs.messages["es"]
    prefixes = ("login.", "mfa.", "nav.", "password.", "account.", "codes.")
    assert {k for k in english if k.startswith(prefixes)} <= set(spanish)


def test_unmatched_route_is_404(browser):
    assert browser.get("/no/such/page").status_code == 404


class TestProduction:
    @pytest.fixture
    def ui_env(self):
        # Behind one trusted load balancer, whose X-Forwarded-Proto counts.
        return {"ENCV_TRUSTED_PROXY_HOPS": "1"}

    def test_plain_http_is_redirected_to_https(self, browser):
        result = browser.get("/codes/issue?x=1")
        assert result.status_code == 301
        assert (
            result.headers["Location"] == "https://falconframework.org/codes/issue?x=1"
        )
        assert browser.get("/health").status_code == 200

    def test_https_gets_hsts_and_secure_cookie(self, browser):
        result = browser.get("/", headers={"X-Forwarded-Proto": "https"})
        assert result.status_code == 200
        assert "max-age=315360000" in result.headers["Strict-Transport-Security"]
        assert result.cookies["verification-server-session"].secure

    def test_pages_are_not_stored_by_caches(self, browser):
        assert browser.get("/", protocol="https").headers["Cache-Control"] == "no-store"


def test_cookies_are_secure_over_https_even_in_dev_mode(browser):
    plain = browser.get("/")
    assert not plain.cookies["verification-server-session"].secure
    over_tls = browser.get("/", protocol="https")
    assert over_tls.cookies["verification-server-session"].secure
    assert over_tls.headers["Cache-Control"] == "no-store"
