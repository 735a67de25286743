"""Sign-in and issue pages in Arabic, Japanese, German and zh_HK (spec 9).

Titles and ``dir`` are compared with the compiled catalogues, so a locale
whose catalogue still read English would fail here, and Arabic must lay out
right to left with Bootstrap's RTL build (screenshots at 1280 and 390 px).
"""

from __future__ import annotations

import pytest

from tests.ui.browser import expect, shoot, to_issue_page
from ui.i18n import load_catalogues
from ui.web import SERVER_NAME

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# locale -> (expected <html lang>, dir); zh_HK is no UI locale: English.
CASES = {
    "ar": ("ar", "rtl"),
    "ja": ("ja", "ltr"),
    "de": ("de", "ltr"),
    "zh_HK": ("en", "ltr"),
}


def _stylesheet(page) -> str:
    return page.locator("link[href*='bootstrap-5.3.9/bootstrap']").get_attribute("href")


def test_sign_in_and_issue_pages_in_four_languages(page, server, demo_db):
    _, creds = demo_db
    catalogues = load_catalogues()
    english_sign_in = catalogues.t("en", "login.sign-in")
    to_issue_page(page, server, creds)  # signed in, in English
    for locale, (lang, direction) in CASES.items():
        shown = lang if locale != "zh_HK" else "en"
        sign_in = catalogues.t(shown, "login.sign-in")
        issue = catalogues.t(shown, "codes.issue.title")
        if locale != "zh_HK":
            assert sign_in != english_sign_in, f"{locale} catalogue untranslated"
        # The sign-in page of a fresh visitor (own context, no session).
        visitor = page.context.browser.new_page()
        try:
            visitor.goto(f"{server}/?lang={locale}")
            assert visitor.title() == f"{sign_in} · {SERVER_NAME}"
            html = visitor.locator("html")
            assert html.get_attribute("lang") == lang
            assert html.get_attribute("dir") == direction
            rtl_sheet = _stylesheet(visitor).endswith("bootstrap.rtl.min.css")
            assert rtl_sheet == (direction == "rtl")
            expect(visitor.locator("h1")).to_have_text(sign_in)
            if locale == "ar":
                shoot(visitor, "i18n-signin-ar")
        finally:
            visitor.close()
        # The issue page of the signed-in case worker.
        page.goto(f"{server}/codes/issue?lang={locale}")
        assert page.title() == f"{issue} · {SERVER_NAME}"
        assert page.locator("html").get_attribute("dir") == direction
        expect(page.locator("h1")).to_have_text(issue)
        if locale == "ar":
            assert _stylesheet(page).endswith("bootstrap.rtl.min.css")
            # Right to left: the brand sits at the right edge of the navbar.
            brand = page.locator(".navbar-brand").bounding_box()
            assert brand["x"] > page.viewport_size["width"] / 2
            shoot(page, "i18n-issue-ar")


def test_issue_error_follows_the_page_language(page, server, demo_db):
    # The browser asks for English; the page was chosen with ?lang=es, and
    # app.js sends the page's language with its JSON so the error matches.
    _, creds = demo_db
    to_issue_page(page, server, creds)
    page.goto(f"{server}/codes/issue?lang=es")
    # Past the page's own min, so the server's window check refuses it.
    page.eval_on_selector("#symptomDate", "e => e.removeAttribute('min')")
    page.fill("#symptomDate", "2000-01-01")
    page.click("#issue-submit")
    error = page.locator(".flash-error")
    expect(error).to_contain_text(
        "La fecha de inicio de los síntomas debe ser igual o posterior al"
    )
