"""The web view in headless Chromium, served by gunicorn (protocol §8.5)."""

from __future__ import annotations

import pytest

from tests.api.redirect.browser import chromium_page, redirect_stack
from tests.ui.browser import shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def stack(fresh_db):
    with redirect_stack(fresh_db) as running:
        yield running


def test_form_loads_with_key_and_nonce_and_hides_the_session(stack):
    with chromium_page(stack) as page:
        resp = page.goto(f"{stack.base_url}/report")
        assert resp.status == 200
        assert page.locator("h1").inner_text() == "Request a verification code"
        assert page.locator("#testDate").get_attribute("max")
        cookies = page.context.cookies()
        (session,) = [c for c in cookies if c["name"] == "en-user-report"]
        assert session["httpOnly"] and session["sameSite"] == "Strict"
        assert page.evaluate("document.cookie") == ""


def test_missing_agreement_keeps_what_was_typed(stack):
    with chromium_page(stack) as page:
        page.goto(f"{stack.base_url}/report")
        page.fill("#phone", "+1 206 555 0100")
        page.click("#submit")
        page.wait_for_selector("#errors")
        assert "Please confirm the statement above." in page.inner_text("#errors")
        assert page.input_value("#phone") == "+1 206 555 0100"


def test_spanish_browser_gets_the_spanish_form(stack):
    with chromium_page(stack, locale="es-ES") as page:
        page.goto(f"{stack.base_url}/report")
        assert page.locator("h1").inner_text() == "Solicitar un código de verificación"
        assert page.locator("html").get_attribute("lang") == "es"


def test_tampered_session_cannot_submit(stack):
    with chromium_page(stack) as page:
        page.goto(f"{stack.base_url}/report")
        page.context.clear_cookies()
        page.fill("#phone", "+1 206 555 0100")
        page.check("#agreement")
        page.click("#submit")
        page.wait_for_load_state()
        assert "This page does not exist." in page.inner_text("main")


@pytest.mark.parametrize(
    ("locale", "lang", "direction"),
    [
        ("ar", "ar", "rtl"),
        ("ja", "ja", "ltr"),
        ("de", "de", "ltr"),
        ("zh-HK", "zh-HK", "ltr"),
    ],
)
def test_the_form_in_four_languages(stack, locale, lang, direction):
    from api.common.i18n import Catalogues
    from api.redirect.pages import LOCALE_DIR

    catalogues = Catalogues(LOCALE_DIR)
    title = catalogues.t(locale.replace("-", "_"), "report.title")
    assert title != catalogues.t("en", "report.title")
    with chromium_page(stack, locale=locale) as page:
        page.goto(f"{stack.base_url}/report")
        assert page.title() == title
        assert page.locator("h1").inner_text() == title
        html = page.locator("html")
        assert html.get_attribute("lang") == lang
        assert html.get_attribute("dir") == direction
        shoot(page, f"i18n-report-{locale}")
        if direction == "rtl":
            # Labels start at the right edge of the form.
            label = page.locator("label[for=phone]").bounding_box()
            field = page.locator("#phone").bounding_box()
            assert label["x"] + label["width"] == pytest.approx(
                field["x"] + field["width"], abs=2
            )
