"""Report in headless Chromium -> code issued -> SMS at a fake Twilio (§8.5).

Pending the merge of ``models.user_report`` (written on another branch):
until it is on main and wired in ``api.redirect.app.default_submitter``, this
module is skipped. The realm's SMS settings below follow the ``sms_configs``
columns of 0001_init.sql; adjust if the SMS client reads them differently.
"""

from __future__ import annotations

import http.client
import re
import urllib.parse

import psycopg
import pytest

from models.bootstrap import DEMO_APPS
from tests.api.redirect.browser import chromium_page, redirect_stack
from tests.fakes.sms import fake_sms_server

pytest.importorskip(
    "models.user_report", reason="pending merge of the user-report use case"
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = "+12065550100"


def _configure_sms(dsn: str, realm_id: int) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO sms_configs (realm_id, twilio_account_sid,"
            " twilio_auth_token, twilio_from_number)"
            " VALUES (%(realm)s, 'AC-test', 'test-token', '+15005550006')",
            {"realm": realm_id},
        )


def _codes(dsn: str, realm_id: int) -> list[tuple]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute(
            "SELECT test_type, test_date, user_report_id FROM verification_codes"
            " WHERE realm_id = %(realm)s",
            {"realm": realm_id},
        ).fetchall()


def test_report_sends_the_code_by_sms(fresh_db):
    with fake_sms_server() as sms:
        with redirect_stack(fresh_db, ENCV_SMS_API_URL=sms.url) as stack:
            _configure_sms(fresh_db, stack.realm_id)
            with chromium_page(stack) as page:
                page.goto(f"{stack.base_url}/report")
                test_date = page.locator("#testDate").get_attribute("max")
                page.fill("#testDate", test_date)
                page.fill("#phone", PHONE)
                page.check("#agreement")
                page.click("#submit")
                page.wait_for_selector("#success")

            (message,) = sms.wait_for(1)
            assert message.account_sid == "AC-test"
            assert message.to == PHONE
            link = re.search(r"https://\S+/v\?c=\w+", message.body).group(0)
            ((test_type, stored_date, user_report_id),) = _codes(
                fresh_db, stack.realm_id
            )
            assert test_type == "user-report" and user_report_id is not None
            assert stored_date.date().isoformat() == test_date

            # The link in the SMS brings an iPhone to the demo app's store page.
            url = urllib.parse.urlsplit(link)
            server = urllib.parse.urlsplit(stack.base_url)
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request(
                "GET",
                f"{url.path}?{url.query}",
                headers={"Host": url.hostname, "User-Agent": "Mozilla/5.0 (iPhone)"},
            )
            resp = conn.getresponse()
            assert resp.status == 303
            assert resp.getheader("Location") == DEMO_APPS[0][3]
