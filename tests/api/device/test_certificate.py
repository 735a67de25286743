"""POST /api/certificate: every row of protocol §4.2, signers and JWKS (§7)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json

import falcon.testing
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from api.device.app import create_app
from db.queries.keys.signing_keys import insert_signing_key
from db.queries.realms.core import update_realm
from models.codes.tokens import SigningKey, TokenKeys, sign_jwt
from tests.api.device.conftest import make_realm
from tests.api.device.test_verify import jwt_part
from tests.models.codes.test_tokens import tek_hmac
from tests.support import vectors

TEK = vectors("tek_hmac")[0]
EKEYHMAC = TEK["expected_ekeyhmac_b64std"]


def token_for(device, **issue):
    resp = device.verify(device.issue(**issue).code)
    assert resp.status_code == 200, resp.text
    return resp.json["token"]


def forged(device, **overrides):
    """A token signed by the real active key with chosen claims."""
    key = TokenKeys(device.services.keystore).active(device.conn)
    now = int(device.clock.now().timestamp())
    claims = {
        "aud": "diagnosis-verification-example",
        "exp": now + 60,
        "jti": "forged",
        "iat": now,
        "iss": "diagnosis-verification-example",
        "sub": "confirmed..",
    }
    claims.update(overrides)
    return sign_jwt(key, {k: v for k, v in claims.items() if v is not None})


def token_stats(conn, realm_id):
    return conn.execute(
        "SELECT tokens_claimed, tokens_invalid, user_report_tokens_claimed"
        " FROM realm_stats_daily WHERE realm_id = %s",
        (realm_id,),
    ).fetchone()


def error(resp):
    return resp.status_code, resp.json["errorCode"], resp.json["error"]


def test_certificate_verifies_with_the_published_key(device):
    token = token_for(device, symptom_date=dt.date(2026, 3, 7))
    resp = device.certificate(token, EKEYHMAC)
    assert resp.status_code == 200 and list(resp.json) == ["padding", "certificate"]
    certificate = resp.json["certificate"]
    header = json.loads(jwt_part(certificate, 0))
    assert header == {"alg": "ES256", "kid": "v1", "typ": "JWT"}
    claims_text = jwt_part(certificate, 1)
    assert list(json.loads(claims_text)) == [
        "aud", "exp", "iat", "iss", "nbf", "reportType", "symptomOnsetInterval",
        "tekmac",
    ]  # fmt: skip
    # A key server: fetch the JWKS, pick the kid, verify, recompute the HMAC.
    keys = device.client.simulate_get("/.well-known/jwks.json").json["keys"]
    jwk = next(k for k in keys if k["kid"] == header["kid"])
    assert jwk["alg"] == "ES256" and jwk["use"] == "sig" and jwk["crv"] == "P-256"
    public = jwt.PyJWK.from_dict(jwk).key
    claims = jwt.decode(
        certificate,
        public,
        algorithms=["ES256"],
        audience="exposure-notifications-server",
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
    )
    now = int(device.clock.now().timestamp())
    assert claims["iss"] == "diagnosis-verification-example"
    assert claims["iat"] == claims["nbf"] == now - 5 and claims["exp"] == now + 900
    assert claims["reportType"] == "confirmed"
    assert claims["symptomOnsetInterval"] == int(
        dt.datetime(2026, 3, 7, tzinfo=dt.UTC).timestamp() // 600
    )
    recomputed = tek_hmac(bytes.fromhex(TEK["secret_hex"]), TEK["teks"])
    assert claims["tekmac"] == recomputed == EKEYHMAC
    assert token_stats(device.conn, device.realm_id) == (1, 0, 0)


def test_tekmac_is_copied_as_sent_and_no_onset_without_symptom_date(device):
    unpadded = EKEYHMAC.rstrip("=").replace("+", "-").replace("/", "_")
    token = token_for(device, test_type="likely", test_date=dt.date(2026, 3, 9))
    resp = device.certificate(token, unpadded)
    claims = json.loads(jwt_part(resp.json["certificate"], 1))
    assert claims["tekmac"] == unpadded and "symptomOnsetInterval" not in claims
    assert claims["reportType"] == "likely"


def test_a_token_is_single_use(device):
    token = token_for(device)
    assert device.certificate(token, EKEYHMAC).status_code == 200
    again = device.certificate(token, EKEYHMAC)
    assert error(again) == (400, "token_expired", "verification token invalid")
    assert token_stats(device.conn, device.realm_id) == (1, 0, 0)  # not counted


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "body must not be empty"),
        (b'{"token": 1}', 'invalid value "token"'),
        (b'{"tok": "x"}', 'json: unknown field "tok"'),
    ],
)
def test_binding_errors_are_token_invalid(device, body, message):
    resp = device.client.simulate_post(
        "/api/certificate",
        body=body,
        headers={"X-API-Key": device.api_key, "Content-Type": "application/json"},
    )
    assert error(resp) == (400, "token_invalid", message)


def test_tokens_that_do_not_verify_are_invalid(device):
    genuine = token_for(device)
    head, claims, _ = genuine.split(".")
    other_key = SigningKey(
        json.loads(jwt_part(genuine, 0))["kid"], ec.generate_private_key(ec.SECP256R1())
    )
    unknown_kid = dataclasses.replace(other_key, kid="not-a-key")
    candidates = [
        "garbage",
        f"{head}.{claims}.AAAA",
        sign_jwt(other_key, json.loads(jwt_part(genuine, 1))),
        sign_jwt(unknown_kid, json.loads(jwt_part(genuine, 1))),
        jwt.encode({"sub": "confirmed.."}, "s" * 32, algorithm="HS256"),
    ]
    for token in candidates:
        resp = device.certificate(token, EKEYHMAC)
        assert error(resp) == (400, "token_invalid", "invalid verification token")
    assert token_stats(device.conn, device.realm_id) == (0, 0, 0)  # not counted


def test_time_claims_are_checked_without_leeway(device):
    now = int(device.clock.now().timestamp())
    for claims in ({"exp": now - 1}, {"iat": now + 1}, {"nbf": now + 1}):
        resp = device.certificate(forged(device, **claims), EKEYHMAC)
        assert error(resp) == (400, "token_invalid", "verification token expired")
    token = token_for(device)
    device.clock.advance(hours=24, seconds=1)
    resp = device.certificate(token, EKEYHMAC)
    assert error(resp) == (400, "token_invalid", "verification token expired")


@pytest.mark.parametrize(
    "claims", [{"iss": "someone"}, {"aud": "someone"}, {"aud": None}]
)
def test_issuer_and_audience_must_be_the_token_issuer(device, claims):
    resp = device.certificate(forged(device, **claims), EKEYHMAC)
    assert error(resp) == (400, "token_invalid", "verification token not valid")


def test_a_malformed_subject_is_token_invalid(device):
    resp = device.certificate(forged(device, sub="confirmed"), EKEYHMAC)
    assert error(resp) == (
        400,
        "token_invalid",
        "invalid subject: subject must contain 2 or 3 parts, got: 1",
    )


@pytest.mark.parametrize(
    ("ekeyhmac", "message"),
    [
        ("*notbase64*", "exposure key HMAC is not a valid base64: "),
        (
            base64.b64encode(b"1" * 16).decode(),
            "exposure key HMAC is not the correct length, want: 32 got: 16",
        ),
    ],
)
def test_ekeyhmac_must_be_32_bytes(device, ekeyhmac, message):
    token = token_for(device)
    resp = device.certificate(token, ekeyhmac)
    assert resp.status_code == 400 and resp.json["errorCode"] == "hmac_invalid"
    assert resp.json["error"].startswith(message)
    assert device.certificate(token, EKEYHMAC).status_code == 200  # token unspent


def test_unknown_or_foreign_tokens_are_expired_and_counted(device):
    resp = device.certificate(forged(device, jti="unknown"), EKEYHMAC)
    assert error(resp) == (400, "token_expired", "verification token expired")
    other_realm, _, other_key = make_realm(device.conn, device.services, name="B")
    other = dataclasses.replace(device, api_key=other_key, realm_id=other_realm)
    resp = other.certificate(token_for(device), EKEYHMAC)
    assert error(resp) == (400, "token_expired", "verification token expired")
    assert token_stats(device.conn, device.realm_id) == (0, 1, 0)
    assert token_stats(device.conn, other_realm) == (0, 1, 0)


def test_an_expired_token_row_is_refused(device):
    token = token_for(device)
    device.conn.execute("UPDATE tokens SET expires_at = %s", (device.clock.now(),))
    resp = device.certificate(token, EKEYHMAC)
    assert error(resp) == (400, "token_expired", "verification token expired")


@pytest.mark.parametrize(
    "sub", ["negative..", "confirmed.2026-03-08.", "confirmed..2026-03-08"]
)
def test_subject_metadata_must_match_the_token_row(device, sub):
    genuine = json.loads(jwt_part(token_for(device), 1))
    resp = device.certificate(forged(device, jti=genuine["jti"], sub=sub), EKEYHMAC)
    assert error(resp) == (400, "token_expired", "verification token invalid")
    assert token_stats(device.conn, device.realm_id) == (0, 1, 0)


def test_a_signing_failure_leaves_the_token_usable(device, monkeypatch):
    import models.codes.certificate

    token = token_for(device)

    def broken(key, claims):
        raise RuntimeError("kms down")

    monkeypatch.setattr(models.codes.certificate, "sign_jwt", broken)
    resp = device.certificate(token, EKEYHMAC)
    assert resp.status_code == 500 and resp.json["errorCode"] == "internal_server_error"
    assert not device.conn.execute("SELECT used FROM tokens").fetchone()[0]
    monkeypatch.undo()
    assert device.certificate(token, EKEYHMAC).status_code == 200


def test_certificate_ignores_server_maintenance(device):
    token = token_for(device)
    settings = dataclasses.replace(device.services.settings, maintenance_mode=True)
    app = create_app(dataclasses.replace(device.services, settings=settings))
    resp = falcon.testing.TestClient(app).simulate_post(
        "/api/certificate",
        json={"token": token, "ekeyhmac": EKEYHMAC},
        headers={"X-API-Key": device.api_key},
    )
    assert resp.status_code == 200


def test_user_report_tokens_are_counted_separately(device):
    from tests.api.device.conftest import insert_user_report

    report = insert_user_report(
        device.conn, phone_hash="h", nonce="", nonce_required=False,
        now=device.clock.now(),
    )  # fmt: skip
    token = token_for(device, test_type="user-report", user_report_id=report)
    resp = device.certificate(token, EKEYHMAC)
    assert json.loads(jwt_part(resp.json["certificate"], 1))["reportType"] == (
        "user-report"
    )
    assert token_stats(device.conn, device.realm_id) == (1, 0, 1)


class TestRealmKeys:
    def _realm_key(self, device, active=True):
        version = device.services.keystore.create_key_version(
            device.conn, f"realm-{device.realm_id}"
        )
        return insert_signing_key(
            device.conn, realm_id=device.realm_id, key_id=version, active=active
        )

    def test_realm_key_signs_with_realm_claims_and_is_in_both_jwks(self, device):
        old = self._realm_key(device, active=False)
        row = self._realm_key(device)
        update_realm(
            device.conn,
            device.realm_id,
            use_realm_certificate_key=True,
            certificate_issuer="realm-iss",
            certificate_audience="realm-aud",
            certificate_duration=600,
        )
        resp = device.certificate(token_for(device), EKEYHMAC)
        certificate = resp.json["certificate"]
        kid = json.loads(jwt_part(certificate, 0))["kid"]
        assert kid == f"r{device.realm_id}v{row.id}"
        realm_keys = device.client.simulate_get(f"/jwks/{device.realm_id}").json
        assert [k["kid"] for k in realm_keys] == [kid, old.kid]
        assert set(realm_keys[0]) == {"kid", "kty", "crv", "x", "y"}
        claims = jwt.decode(
            certificate,
            jwt.PyJWK.from_dict({**realm_keys[0], "alg": "ES256"}).key,
            algorithms=["ES256"],
            audience="realm-aud",
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
        now = int(device.clock.now().timestamp())
        assert claims["iss"] == "realm-iss" and claims["exp"] == now + 600
        all_kids = {
            k["kid"]
            for k in device.client.simulate_get("/.well-known/jwks.json").json["keys"]
        }
        assert {"v1", kid, old.kid} <= all_kids

    def test_no_active_realm_key_is_an_internal_error(self, device):
        self._realm_key(device, active=False)
        update_realm(device.conn, device.realm_id, use_realm_certificate_key=True)
        token = token_for(device)
        resp = device.certificate(token, EKEYHMAC)
        assert resp.status_code == 500
        assert resp.json["errorCode"] == "internal_server_error"


def test_realm_jwks_routes(device):
    assert device.client.simulate_get(f"/jwks/{device.realm_id}").json == []
    missing = device.client.simulate_get("/jwks/999999")
    assert missing.status_code == 404
    assert missing.json["error"] == 'no realm exists for region "999999"'
    assert device.client.simulate_get("/jwks/abc").status_code == 404


def test_a_database_failure_in_the_claim_is_a_500_without_code(device, monkeypatch):
    import psycopg

    import models.codes.certificate

    token = token_for(device)

    def broken(conn, **kwargs):
        raise psycopg.errors.SerializationFailure("could not serialize")

    monkeypatch.setattr(models.codes.certificate.claims_q, "claim_token", broken)
    resp = device.certificate(token, EKEYHMAC)
    assert resp.status_code == 500
    assert resp.json == {
        "error": "failed to claim token",
        "errorCode": "",
        "error_code": "",
    }
    monkeypatch.undo()
    assert device.certificate(token, EKEYHMAC).status_code == 200
