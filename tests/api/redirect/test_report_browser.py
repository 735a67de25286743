"""Report in headless Chromium -> code issued -> SMS at a fake Twilio (§8.5)."""

from __future__ import annotations

import base64
import http.client
import re
import urllib.parse

import psycopg
import pytest

from db.crypto import Envelope
from db.queries.codes import sms as sms_q
from models.codes import sms
from models.realms.bootstrap import DEMO_APPS
from tests.api.redirect.browser import chromium_page, redirect_stack
from tests.support import TEST_KEK

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = "+12065550100"
SID = "AC" + "1" * 32


def _configure_sms(dsn: str, realm_id: int) -> None:
    envelope = Envelope(base64.b64decode(TEST_KEK))
    with psycopg.connect(dsn, autocommit=True) as conn:
        sms_q.upsert_realm_sms_config(
            conn,
            realm_id=realm_id,
            account_sid=SID,
            sealed_auth_token=sms.seal_auth_token(envelope, "token"),
            from_number="+15005550006",
            user_report_from_number="+15005550007",
        )


def _codes(dsn: str, realm_id: int) -> list[tuple]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(
            "SELECT test_type, test_date, user_report_id FROM verification_codes"
            " WHERE realm_id = %(realm)s",
            {"realm": realm_id},
        ).fetchall()


def test_report_sends_the_code_by_sms(fresh_db, fake_sms):
    with redirect_stack(fresh_db, ENCV_SMS_API_URL=fake_sms.url) as stack:
        _configure_sms(fresh_db, stack.realm_id)
        with chromium_page(stack) as page:
            page.goto(f"{stack.base_url}/report")
            test_date = page.locator("#testDate").get_attribute("max")
            page.fill("#testDate", test_date)
            page.fill("#phone", PHONE)
            page.check("#agreement")
            page.click("#submit")
            page.wait_for_selector("#success")

        (message,) = fake_sms.messages
        assert (message.account_sid, message.to) == (SID, PHONE)
        assert message.sender == "+15005550007"  # the realm's user-report number
        link = re.search(r"https://\S+/v\?c=\w+", message.body).group(0)
        ((test_type, stored_date, user_report_id),) = _codes(fresh_db, stack.realm_id)
        assert test_type == "user-report" and user_report_id is not None
        assert stored_date.date().isoformat() == test_date

        # The SMS link brings an iPhone to the demo app's store page.
        url = urllib.parse.urlsplit(link)
        port = urllib.parse.urlsplit(stack.base_url).port
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request(
            "GET",
            f"{url.path}?{url.query}",
            headers={"Host": url.hostname, "User-Agent": "Mozilla/5.0 (iPhone)"},
        )
        resp = conn.getresponse()
        assert resp.status == 303
        assert resp.getheader("Location") == DEMO_APPS[0][3]


def test_second_report_for_the_same_phone_looks_the_same_and_sends_nothing(
    fresh_db, fake_sms
):
    with redirect_stack(fresh_db, ENCV_SMS_API_URL=fake_sms.url) as stack:
        _configure_sms(fresh_db, stack.realm_id)
        for _ in range(2):
            with chromium_page(stack) as page:
                page.goto(f"{stack.base_url}/report")
                page.fill("#phone", PHONE)
                page.check("#agreement")
                page.click("#submit")
                page.wait_for_selector("#success")
        assert len(fake_sms.messages) == 1
        assert len(_codes(fresh_db, stack.realm_id)) == 1
