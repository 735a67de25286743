"""POST /api/user-report (protocol §4.3, §8) through the real issuing pipeline."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import os
import re

import falcon.testing
import pytest

from api.device.app import create_app
from db.queries.realms.core import update_realm
from models.codes import sms
from models.codes.issue import IssueService
from tests.api.device.conftest import Device
from tests.fakes.sms import FakeSms, start_fake_sms
from tests.issuing import add_sms_config

NONCE = os.urandom(256)
PHONE = "+12068675309"
EKEYHMAC = "2u1nHt5WWurJytFLF3xitNzM99oNrad2y4YGOL53AeY="


@dataclasses.dataclass
class Reporter(Device):
    """A device client whose realm takes user reports, with its fake SMS."""

    fake_sms: FakeSms | None = None


@pytest.fixture
def reporter(device):
    """The device fixture with user reports on, an SMS config and the fake SMS."""
    fake_sms = start_fake_sms()
    update_realm(
        device.conn, device.realm_id, allowed_test_types=2 | 16, sms_country="us"
    )
    add_sms_config(device.conn, device.services, device.realm_id)
    client = sms.SmsClient(fake_sms.url, timeout=0.5)
    issuer = IssueService(device.services, sms_client=client)
    app = create_app(device.services, issuer=issuer)
    fields = {f.name: getattr(device, f.name) for f in dataclasses.fields(device)}
    fields["client"] = falcon.testing.TestClient(app)
    yield Reporter(**fields, fake_sms=fake_sms)
    client.close()
    fake_sms.close()


def report(api, **body):
    defaults = {
        "symptomDate": (api.clock.now().date() - dt.timedelta(days=2)).isoformat(),
        "phone": PHONE,
        "nonce": base64.b64encode(NONCE).decode(),
    }
    defaults.update(body)
    return api.post(
        "/api/user-report", {k: v for k, v in defaults.items() if v is not None}
    )


def count(conn, table):
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def test_a_report_texts_a_code_that_verifies_with_the_nonce(reporter):
    fake_sms = reporter.fake_sms
    resp = report(reporter, tzOffset=-600, phone="(206) 867-5309")
    assert resp.status_code == 200
    assert list(resp.json) == ["padding", "expiresAt", "expiresAtTimestamp"]
    expires = reporter.clock.now() + dt.timedelta(seconds=900)
    assert resp.json["expiresAtTimestamp"] == int(expires.timestamp())
    assert resp.json["expiresAt"] == "Tue, 10 Mar 2026 12:15:00 UTC"
    [message] = fake_sms.messages
    assert message.to == PHONE and message.sender == "+15005550007"
    assert message.body.startswith("Your requested Exposure Notifications code: ")
    code = re.search(r"code: (\d+) expires", message.body).group(1)
    row = reporter.conn.execute(
        "SELECT nonce, nonce_required FROM user_reports"
    ).fetchone()
    assert row == (base64.b64encode(NONCE).decode(), True)
    # The app then presents the code with its nonce, and gets a certificate.
    wrong = reporter.verify(code, nonce=base64.b64encode(b"x" * 256).decode())
    assert wrong.json["errorCode"] == "code_invalid"
    verified = reporter.verify(
        code, nonce=base64.urlsafe_b64encode(NONCE).decode(), accept=["user-report"]
    )
    assert verified.status_code == 200 and verified.json["testtype"] == "user-report"
    cert = reporter.certificate(verified.json["token"], EKEYHMAC)
    assert cert.status_code == 200


def test_the_same_phone_again_is_a_silent_success(reporter):
    fake_sms = reporter.fake_sms
    assert report(reporter).status_code == 200
    again = report(reporter, nonce=base64.b64encode(os.urandom(256)).decode())
    assert again.status_code == 200
    assert again.json["expiresAt"] == "" and again.json["expiresAtTimestamp"] == 0
    assert len(fake_sms.messages) == 1 and count(reporter.conn, "user_reports") == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"phone": None}, "missing_phone"),
        ({"phone": None, "nonce": None}, "missing_nonce"),
        ({"nonce": ""}, "missing_nonce"),
        ({"symptomDate": "invalid date"}, "unparsable_request"),
        ({"symptomDate": "invalid date", "nonce": "..45"}, "unparsable_request"),
        ({"symptomDate": "2020-01-01"}, "invalid_date"),
        ({"phone": "not a phone"}, "phone_number_invalid"),
        ({"tzOffset": "0"}, "unparsable_request"),
        ({"code": "1"}, "unparsable_request"),
    ],
)
def test_refusals(reporter, body, code):
    fake_sms = reporter.fake_sms
    resp = report(reporter, **body)
    assert resp.status_code == 400, resp.text
    assert resp.json["errorCode"] == code
    assert not fake_sms.messages and count(reporter.conn, "user_reports") == 0


@pytest.mark.parametrize("size", [255, 257, 32])
def test_a_nonce_of_the_wrong_size_is_missing_nonce(reporter, size):
    fake_sms = reporter.fake_sms
    # NOTE(device): design.md §2 parity exception (the original said 200).
    resp = report(reporter, nonce=base64.b64encode(os.urandom(size)).decode())
    assert resp.status_code == 400 and resp.json["errorCode"] == "missing_nonce"
    assert not fake_sms.messages


def test_realms_without_user_reports_refuse(reporter):
    update_realm(reporter.conn, reporter.realm_id, allowed_test_types=2)
    resp = report(reporter)
    assert resp.status_code == 400
    assert resp.json["errorCode"] == "unsupported_test_type"
    assert resp.json["error"] == "user initiated report is not enabled"


@pytest.mark.parametrize(
    ("mode", "code"),
    [("server_error", "sms_failure"), ("queue_full", "sms_queue_full")],
)
def test_a_failed_sms_leaves_no_code_and_no_report(reporter, mode, code):
    fake_sms = reporter.fake_sms
    fake_sms.mode = mode
    resp = report(reporter)
    assert resp.status_code == 400 and resp.json["errorCode"] == code
    assert count(reporter.conn, "verification_codes") == 0
    assert count(reporter.conn, "user_reports") == 0
    fake_sms.mode = "ok"
    assert report(reporter).status_code == 200  # the phone can try again


def test_server_maintenance_refuses_before_binding(reporter):
    resp = reporter.post_garbage(reporter.in_maintenance(), "/api/user-report")
    assert resp.status_code == 429 and resp.json["errorCode"] == "maintenance_mode"


def test_realm_maintenance_does_not_stop_user_reports(reporter):
    update_realm(reporter.conn, reporter.realm_id, maintenance_mode=True)
    assert report(reporter).status_code == 200


def test_no_sms_provider_is_a_plain_400(reporter):
    reporter.conn.execute("DELETE FROM sms_configs")
    resp = report(reporter)
    assert resp.status_code == 400 and resp.json["errorCode"] == ""
