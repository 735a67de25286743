import json
import urllib.parse

import falcon.testing
import pytest

from db.queries.codes.sms import upsert_realm_sms_config
from models.codes.sms import seal_auth_token
from models.codes.sms_webhook import twilio_signature
from ui.app import create_app

SID = "AC" + "1" * 32
TOKEN = "twilio-auth-token"
HOST = "encv.example.org"


@pytest.fixture
def client(conn, services):
    upsert_realm_sms_config(
        conn,
        realm_id=1,
        account_sid=SID,
        sealed_auth_token=seal_auth_token(services.envelope, TOKEN),
        from_number="+15005550006",
    )
    return falcon.testing.TestClient(create_app(services))


def _post(client, params, *, token=TOKEN, signature=None, realm=1):
    path = f"/webhooks/{realm}/twilio"
    sig = signature or twilio_signature(token, f"https://{HOST}{path}", params)
    return client.simulate_post(
        path,
        body=urllib.parse.urlencode(params),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Twilio-Signature": sig,
        },
    )


def _params(code="30003", sid=SID):
    return {
        "AccountSid": sid,
        "Level": "ERROR",
        "PayloadType": "application/json",
        "Payload": json.dumps({"error_code": code}),
    }


def _count(conn, code):
    row = conn.execute(
        "SELECT quantity FROM sms_error_stats WHERE realm_id = 1 AND error_code = %s",
        (code,),
    ).fetchone()
    return row[0] if row else 0


def test_signed_error_callbacks_are_counted(client, conn):
    assert _post(client, _params()).json == {"ok": True}
    assert _post(client, _params()).status_code == 200
    assert _count(conn, "30003") == 2


def test_bad_signature_account_or_payload_is_400_and_counts_nothing(client, conn):
    assert _post(client, _params(), token="wrong").status_code == 400
    assert _post(client, _params(sid="AC" + "2" * 32)).status_code == 400
    broken = {**_params(), "Payload": "{not json"}
    assert _post(client, broken).status_code == 400
    assert _post(client, _params(), realm=424242).status_code == 400
    assert _count(conn, "30003") == 0


def test_non_error_levels_are_acknowledged_and_ignored(client, conn):
    warning = {**_params(), "Level": "WARNING"}
    assert _post(client, warning).json == {"ok": True}
    assert _count(conn, "30003") == 0


def test_missing_signature_is_400(client):
    resp = client.simulate_post(
        "/webhooks/1/twilio",
        body=urllib.parse.urlencode(_params()),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-Proto": "https",
        },
    )
    assert resp.status_code == 400
