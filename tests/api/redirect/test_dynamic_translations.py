"""The web view shows the realm's synced texts over the catalogue (spec 5.12)."""

from __future__ import annotations

import html
import re

import pytest

from api.common.i18n import Catalogues
from api.redirect.pages import LOCALE_DIR
from db.queries.realms import core as realms_q
from tests.api.redirect.webview import NONCE_B64, open_form, post_form


def _add(conn, realm, locale, message_id, message):
    conn.execute(
        "INSERT INTO dynamic_translations (realm_id, locale, message_id, message)"
        " VALUES (%s, %s, %s, %s)",
        (realm, locale, message_id, message),
    )


def _text(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page)
    return html.unescape(found.group(1)) if found else ""


@pytest.fixture
def synced(conn, realm):
    realms_q.update_realm(conn, realm, default_locale="es_US")
    _add(conn, realm, "es", "webReportIntroMessage", "Introducción del reino")
    _add(conn, realm, "es", "agencyDisplayName", "Agencia de Salud")
    _add(conn, realm, "de", "webReportIntroMessage", "Einleitung der Behörde")
    _add(conn, realm, "de", "webReportPhoneNumberMessage", "Nur Mobilnummern")
    return realm


def test_matching_locale_overrides_the_catalogue(client, device_key, synced):
    page = open_form(client, device_key, **{"Accept-Language": "de-DE"}).text
    assert '<html lang="de"' in page
    assert _text(page, "intro") == "Einleitung der Behörde"
    assert _text(page, "phone-help") == "Nur Mobilnummern"
    # German has no agency name: the catalogue's default (the realm name) shows.
    assert _text(page, "agency-name") == "Web View Realm"
    # Texts the realm did not sync come from the German catalogue.
    german = Catalogues(LOCALE_DIR).t("de", "report.submit")
    assert german != "Send my code" and german in page


def test_unmatched_request_falls_back_to_the_realm_default_locale(
    client, device_key, synced
):
    page = open_form(client, device_key, **{"Accept-Language": "ja"}).text
    assert '<html lang="ja"' in page  # the catalogue follows the request
    assert _text(page, "intro") == "Introducción del reino"
    assert _text(page, "agency-name") == "Agencia de Salud"


def test_lang_parameter_picks_the_realm_locale_too(client, device_key, synced):
    resp = client.simulate_get(
        "/report",
        params={"lang": "de"},
        headers={
            "Host": "report.example.org",
            "X-API-Key": device_key,
            "X-Nonce": NONCE_B64,
            "Accept-Language": "es",
        },
    )
    assert _text(resp.text, "intro") == "Einleitung der Behörde"


def test_realm_without_translations_shows_the_catalogue(client, device_key, realm):
    page = open_form(client, device_key, **{"Accept-Language": "ja"}).text
    assert _text(page, "intro") == Catalogues(LOCALE_DIR).t("ja", "report.intro")
    assert _text(page, "agency-name") == "Web View Realm"


def test_success_page_uses_the_synced_message(client, device_key, synced, conn):
    _add(conn, synced, "es", "webReportSuccessMessage", "Revise sus mensajes")
    opened = open_form(client, device_key, **{"Accept-Language": "es"})
    done = post_form(client, opened)
    assert _text(done.text, "success-body") == "Revise sus mensajes"


def test_texts_are_reread_once_the_refresh_period_passed(
    client, device_key, synced, conn, clock
):
    assert _text(open_form(client, device_key).text, "intro") == (
        "Introducción del reino"
    )
    conn.execute(
        "UPDATE dynamic_translations SET message = 'Nueva introducción'"
        " WHERE realm_id = %s AND locale = 'es' AND message_id = %s",
        (synced, "webReportIntroMessage"),
    )
    # Within the period the process keeps its copy (no query per page view).
    clock.advance(minutes=4)
    assert _text(open_form(client, device_key).text, "intro") == (
        "Introducción del reino"
    )
    clock.advance(minutes=2)
    assert _text(open_form(client, device_key).text, "intro") == "Nueva introducción"
