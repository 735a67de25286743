"""The fake SMS endpoint behaves like Twilio's Messages API."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.fakes.sms import fake_sms_server


def _send(url: str, sid: str = "AC123", **form):
    request = urllib.request.Request(  # noqa: S310 - local test server
        f"{url}/2010-04-01/Accounts/{sid}/Messages.json",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Authorization": "Basic " + base64.b64encode(b"AC123:tok").decode()},
    )
    return urllib.request.urlopen(request, timeout=5)  # noqa: S310


def test_records_messages_and_answers_201():
    with fake_sms_server() as sms:
        resp = _send(sms.url, To="+12065550100", From="+15550000", Body="code 1234")
        assert resp.status == 201
        assert json.loads(resp.read())["status"] == "queued"
        (message,) = sms.wait_for(1)
    assert (message.account_sid, message.auth_user, message.auth_password) == (
        "AC123",
        "AC123",
        "tok",
    )
    assert (message.to, message.from_, message.body) == (
        "+12065550100",
        "+15550000",
        "code 1234",
    )


def test_configured_failure_answers_a_twilio_error():
    with fake_sms_server() as sms:
        sms.fail_with = 21211
        with pytest.raises(urllib.error.HTTPError) as info:
            _send(sms.url, To="x", Body="y")
        assert json.loads(info.value.read())["code"] == 21211
        assert sms.messages == []
