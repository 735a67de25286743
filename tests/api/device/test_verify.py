"""POST /api/verify: every row of protocol §4.1 and the claim counters."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import os

import falcon.testing
import pytest

from api.device.app import create_app
from db.queries.realms.core import update_realm
from db.ratelimit import MemoryRateLimiter
from models.realms.apikeys import KeyType, create_api_key
from tests.api.device.conftest import insert_user_report
from tests.support import vectors

TODAY = dt.date(2026, 3, 10)


def jwt_part(token: str, index: int) -> str:
    part = token.split(".")[index]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def realm_stats(conn, realm_id):
    return conn.execute(
        "SELECT codes_claimed, codes_invalid, codes_invalid_by_os,"
        " user_reports_claimed, user_reports_invalid_nonce,"
        " user_reports_invalid_nonce_by_os, code_claim_age_distribution,"
        " code_claim_mean_age FROM realm_stats_daily WHERE realm_id = %s",
        (realm_id,),
    ).fetchone()


def app_stats(conn, app_id):
    return conn.execute(
        "SELECT codes_claimed, codes_invalid FROM authorized_app_stats_daily"
        " WHERE authorized_app_id = %s",
        (app_id,),
    ).fetchone()


def test_success_returns_a_token_with_the_original_claims(device):
    issued = device.issue(symptom_date=dt.date(2026, 3, 8))
    device.clock.advance(minutes=3)
    resp = device.verify(issued.code, accept=["confirmed"])
    assert resp.status_code == 200
    body = resp.json
    assert list(body) == ["padding", "testtype", "symptomDate", "token"]
    assert body["testtype"] == "confirmed" and body["symptomDate"] == "2026-03-08"
    assert 1024 <= len(base64.b64decode(body["padding"])) <= 2047
    header = json.loads(jwt_part(body["token"], 0))
    kid = device.conn.execute(
        "SELECT uuid::text FROM token_signing_keys WHERE is_active"
    ).fetchone()[0]
    assert jwt_part(body["token"], 0) == json.dumps(
        {"alg": "ES256", "kid": kid, "typ": "JWT"}, separators=(",", ":")
    )
    assert header["kid"] == kid
    claims = json.loads(jwt_part(body["token"], 1))
    assert list(claims) == ["aud", "exp", "jti", "iat", "iss", "sub"]
    now = int(device.clock.now().timestamp())
    assert claims["aud"] == claims["iss"] == "diagnosis-verification-example"
    assert claims["iat"] == now and claims["exp"] == now + 86400
    assert claims["sub"] == "confirmed.2026-03-08."
    row = device.conn.execute(
        "SELECT test_type, used, realm_id, authorized_app_id FROM tokens"
        " WHERE token_id = %s",
        (claims["jti"],),
    ).fetchone()
    assert row == ("confirmed", False, device.realm_id, device.app_id)
    stats = realm_stats(device.conn, device.realm_id)
    assert stats[0] == 1 and stats[1] == 0
    assert stats[6] == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] and stats[7] == 180
    assert app_stats(device.conn, device.app_id) == (1, 0)


def test_empty_dates_and_test_date_only_are_omitted_or_echoed(device):
    plain = device.verify(device.issue("negative").code)
    assert list(plain.json) == ["padding", "testtype", "token"]
    dated = device.verify(device.issue("likely", test_date=dt.date(2026, 3, 9)).code)
    assert dated.json["testDate"] == "2026-03-09" and "symptomDate" not in dated.json
    claims = json.loads(jwt_part(dated.json["token"], 1))
    assert claims["sub"] == "likely..2026-03-09"


def test_mean_claim_age_is_a_running_mean(device):
    first, second = device.issue(), device.issue()
    device.clock.advance(seconds=100)
    assert device.verify(first.code).status_code == 200
    device.clock.advance(seconds=200)
    assert device.verify(second.code).status_code == 200
    stats = realm_stats(device.conn, device.realm_id)
    assert stats[0] == 2 and stats[7] == (100 + 300) // 2
    assert stats[6][1] == 2  # both within five minutes


def test_the_long_code_outlives_the_short_code(device):
    issued = device.issue(short_ttl=5, long_ttl=3600)
    device.clock.advance(seconds=10)
    assert device.verify(issued.code).json["errorCode"] == "code_expired"
    assert device.verify(issued.long_code).status_code == 200


@pytest.mark.parametrize(
    ("case", "accept"),
    [(c, c["accept"]) for c in vectors("accept_expansion")],
    ids=lambda v: json.dumps(v)[:40] if isinstance(v, list) else "",
)
def test_accept_expansion_decides_which_codes_are_released(device, case, accept):
    if "expected_error" in case:
        resp = device.verify("12345678", accept=accept)
        assert resp.status_code == 400
        assert resp.json["errorCode"] == "invalid_test_type"
        assert resp.json["error"] == case["expected_error"]
        return
    for test_type in ("confirmed", "likely", "negative", "user-report"):
        extra = {}
        if test_type == "user-report":
            report_id = insert_user_report(
                device.conn,
                phone_hash=f"h-{os.urandom(6).hex()}",
                nonce="",
                nonce_required=False,
                now=device.clock.now(),
            )
            extra["user_report_id"] = report_id
        resp = device.verify(device.issue(test_type, **extra).code, accept=accept)
        if test_type in case["expected_accepted_set"]:
            assert resp.status_code == 200, (test_type, resp.text)
        else:
            assert resp.status_code == 412
            assert resp.json == {
                "error": "verification code has unsupported test type",
                "errorCode": "unsupported_test_type",
                "error_code": "unsupported_test_type",
            }


def test_unknown_codes_are_code_invalid_and_counted_per_os(device):
    resp = device.verify("00000000")
    assert resp.status_code == 400
    assert resp.json == {
        "error": "verification code invalid",
        "errorCode": "code_invalid",
        "error_code": "code_invalid",
    }
    device.post(
        "/api/verify",
        {"code": "nope"},
        headers={"User-Agent": "Dalvik/2.1.0 (Linux; U; Android S)"},
    )
    stats = realm_stats(device.conn, device.realm_id)
    assert stats[1] == 2 and stats[2] == [1, 0, 1]
    assert app_stats(device.conn, device.app_id) == (0, 2)


def test_a_code_of_another_realm_is_invalid(device):
    from tests.api.device.conftest import make_realm

    other_realm, _, _ = make_realm(device.conn, device.services, name="Other")
    issued = device.issue(realm_id=other_realm)
    assert device.verify(issued.code).json["errorCode"] == "code_invalid"


def test_a_claimed_code_is_invalid_but_not_counted(device):
    issued = device.issue()
    assert device.verify(issued.code).status_code == 200
    again = device.verify(issued.code)
    assert again.status_code == 400 and again.json["errorCode"] == "code_invalid"
    stats = realm_stats(device.conn, device.realm_id)
    assert stats[0] == 1 and stats[1] == 0


def test_expired_codes_are_code_expired(device):
    issued = device.issue(short_ttl=60, long_ttl=60)
    device.clock.advance(seconds=60)  # expiry <= now counts as expired
    resp = device.verify(issued.code)
    assert resp.status_code == 400
    assert resp.json["error"] == "verification code expired"
    assert resp.json["errorCode"] == "code_expired"


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        ({"Content-Type": "text/plain"}, b"{}", "content-type is not application/json"),
        ({}, b"", "body must not be empty"),
        ({}, b'{"code":"1","extra":1}', 'json: unknown field "extra"'),
        ({}, b'{"code": 12}', 'invalid value "code"'),
        ({}, b'{"code":"1"}{}', "body must contain only one JSON object"),
        ({}, b'{"accept":"confirmed"}', 'invalid value "accept"'),
    ],
)
def test_binding_errors_are_unparsable_request(device, headers, body, message):
    merged = {"X-API-Key": device.api_key, "Content-Type": "application/json"}
    merged.update(headers)
    resp = device.client.simulate_post("/api/verify", body=body, headers=merged)
    assert resp.status_code == 400
    assert resp.json["errorCode"] == "unparsable_request"
    assert resp.json["error"].startswith(message)


def test_field_names_match_case_insensitively_and_padding_is_ignored(device):
    issued = device.issue()
    resp = device.post("/api/verify", {"CODE": issued.code, "padding": {"x": [1]}})
    assert resp.status_code == 200


def test_a_nonce_that_is_not_base64_is_unparsable(device):
    resp = device.verify(device.issue().code, nonce="..45")
    assert resp.status_code == 400 and resp.json["errorCode"] == "unparsable_request"


class TestUserReportLinkage:
    nonce = os.urandom(256)

    def _issue(self, device, required=True, claimed=False):
        report_id = insert_user_report(
            device.conn,
            phone_hash=f"h-{os.urandom(6).hex()}",
            nonce=base64.b64encode(self.nonce).decode(),
            nonce_required=required,
            now=device.clock.now(),
        )
        if claimed:
            device.conn.execute(
                "UPDATE user_reports SET code_claimed = true WHERE id = %s",
                (report_id,),
            )
        return device.issue("user-report", user_report_id=report_id), report_id

    def test_the_same_nonce_in_any_base64_form_claims_the_code(self, device):
        issued, report_id = self._issue(device)
        nonce = base64.urlsafe_b64encode(self.nonce).decode().rstrip("=")
        resp = device.verify(issued.code, nonce=nonce, accept=["user-report"])
        assert resp.status_code == 200 and resp.json["testtype"] == "user-report"
        claimed = device.conn.execute(
            "SELECT code_claimed FROM user_reports WHERE id = %s", (report_id,)
        ).fetchone()[0]
        assert claimed
        assert realm_stats(device.conn, device.realm_id)[3] == 1

    @pytest.mark.parametrize("nonce", ["AQIDBA==", ""])
    def test_a_wrong_or_missing_nonce_is_code_invalid_and_counted(self, device, nonce):
        issued, _ = self._issue(device)
        resp = device.post(
            "/api/verify",
            {"code": issued.code, "nonce": nonce},
            headers={"User-Agent": "MyApp CFNetwork Darwin/20.5.0"},
        )
        assert resp.status_code == 400 and resp.json["errorCode"] == "code_invalid"
        stats = realm_stats(device.conn, device.realm_id)
        assert stats[4] == 1 and stats[5] == [0, 1, 0] and stats[2] == [0, 1, 0]
        # The code itself is untouched: the right nonce still works.
        ok = device.verify(issued.code, nonce=base64.b64encode(self.nonce).decode())
        assert ok.status_code == 200

    @pytest.mark.parametrize("nonce", ["", "AQIDBA=="])
    def test_admin_issued_reports_need_no_nonce(self, device, nonce):
        issued, _ = self._issue(device, required=False)
        assert device.verify(issued.code, nonce=nonce).status_code == 200

    def test_an_already_claimed_report_refuses_the_code(self, device):
        issued, _ = self._issue(device, claimed=True)
        nonce = base64.b64encode(self.nonce).decode()
        resp = device.verify(issued.code, nonce=nonce)
        assert resp.status_code == 400 and resp.json["errorCode"] == "code_invalid"


def test_server_maintenance_refuses_before_binding(device):
    resp = device.post_garbage(device.in_maintenance(), "/api/verify")
    assert resp.status_code == 429
    assert resp.json == {
        "error": "server is read-only for maintenance",
        "errorCode": "maintenance_mode",
        "error_code": "maintenance_mode",
    }


def test_realm_maintenance_does_not_stop_verify(device):
    update_realm(device.conn, device.realm_id, maintenance_mode=True)
    assert device.verify(device.issue().code).status_code == 200


def test_no_active_token_key_is_an_internal_error(device):
    device.conn.execute("UPDATE token_signing_keys SET is_active = false")
    issued = device.issue()
    resp = device.verify(issued.code)
    assert resp.status_code == 500
    assert resp.json == {
        "error": "internal error",
        "errorCode": "internal_server_error",
        "error_code": "internal_server_error",
    }


def test_a_signing_failure_leaves_the_code_claimable(device, monkeypatch):
    import models.codes.verify

    issued = device.issue()

    def broken(key, claims):
        raise RuntimeError("signer unavailable")

    monkeypatch.setattr(models.codes.verify, "sign_jwt", broken)
    resp = device.verify(issued.code)
    # [PARITY] the original answers 400 with internal_server_error here.
    assert resp.status_code == 400
    assert resp.json["errorCode"] == "internal_server_error"
    assert device.conn.execute("SELECT count(*) FROM tokens").fetchone()[0] == 0
    assert realm_stats(device.conn, device.realm_id) is None
    monkeypatch.undo()
    assert device.verify(issued.code).status_code == 200


def test_authentication_and_routing(device):
    admin_key, _ = create_api_key(
        device.conn,
        device.services.secrets,
        realm_id=device.realm_id,
        name="admin",
        key_type=KeyType.ADMIN,
    )
    issued = device.issue()
    for key in ("", "garbage", admin_key):
        resp = device.post("/api/verify", {"code": issued.code}, {"X-API-Key": key})
        assert resp.status_code == 401
    assert device.client.simulate_get("/api/verify").status_code == 405
    assert device.client.simulate_post("/api/verify/").status_code == 404


def test_realm_ip_allow_list(device):
    update_realm(device.conn, device.realm_id, allowed_cidrs_apiserver=["10.0.0.0/8"])
    issued = device.issue()
    blocked = device.post("/api/verify", {"code": issued.code}, remote_addr="8.8.8.8")
    assert blocked.status_code == 401
    allowed = device.post("/api/verify", {"code": issued.code}, remote_addr="10.1.2.3")
    assert allowed.status_code == 200


def test_rate_limit_headers_and_429(device):
    limiter = MemoryRateLimiter(b"k", 2, 60, clock=lambda: 1_000_000.0)
    app = create_app(dataclasses.replace(device.services, limiter=limiter))
    client = falcon.testing.TestClient(app)
    headers = {"X-API-Key": device.api_key, "Content-Type": "application/json"}
    first = client.simulate_post("/api/verify", json={"code": "1"}, headers=headers)
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert first.headers["X-RateLimit-Reset"].endswith(" UTC")
    client.simulate_post("/api/certificate", json={}, headers=headers)
    third = client.simulate_post("/api/verify", json={"code": "1"}, headers=headers)
    assert third.status_code == 429 and third.text == "Too Many Requests\n"
    assert third.headers["Retry-After"] == third.headers["X-RateLimit-Reset"]


def test_a_database_failure_is_an_internal_error_and_changes_nothing(
    device, monkeypatch
):
    import psycopg

    import models.codes.verify

    issued = device.issue()

    # The common path's claim is one statement: it fails as a whole.
    def deadlock(conn, **kwargs):
        raise psycopg.errors.DeadlockDetected("deadlock detected")

    monkeypatch.setattr(models.codes.verify.claims_q, "claim_code_with_token", deadlock)
    resp = device.verify(issued.code)
    assert resp.status_code == 500 and resp.json["errorCode"] == "internal_server_error"
    monkeypatch.undo()
    assert device.verify(issued.code).status_code == 200


def test_a_database_failure_in_the_locking_path_rolls_its_claim_back(
    device, monkeypatch
):
    import psycopg

    import models.codes.verify

    issued = device.issue()

    def half_written(conn, token):
        conn.execute("UPDATE verification_codes SET claimed = true")
        raise psycopg.errors.DeadlockDetected("deadlock detected")

    claims_q = models.codes.verify.claims_q
    monkeypatch.setattr(
        claims_q, "find_claimable_code", lambda conn, **kw: (True, None)
    )
    monkeypatch.setattr(claims_q, "insert_token_counting_claim", half_written)
    resp = device.verify(issued.code)
    assert resp.status_code == 500 and resp.json["errorCode"] == "internal_server_error"
    monkeypatch.undo()
    assert device.verify(issued.code).status_code == 200
