"""The key-server stand-in checks certificates as a real key server would."""

from __future__ import annotations

import base64
import datetime as dt
import time
from types import SimpleNamespace

import falcon.testing
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from api.keyserver.app import create_app
from models.duties.e2e import make_teks, tek_hmac

ISS, AUD = "diagnosis-verification-example", "exposure-notifications-server"
SECRET = b"k" * 32


class StaticKeys:
    """Answers the one signing key (PyJWKClient's interface, no HTTP)."""

    def __init__(self, public_key):
        self.public_key = public_key

    def get_signing_key_from_jwt(self, token: str):
        if jwt.get_unverified_header(token).get("kid") != "v1":
            raise jwt.PyJWKClientError("unknown kid")
        return SimpleNamespace(key=self.public_key)


@pytest.fixture
def signing_key():
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def client(signing_key):
    keys = StaticKeys(signing_key.public_key())
    return falcon.testing.TestClient(create_app("", ISS, AUD, keys=keys))


def _certificate(key, teks, **claims) -> str:
    now = int(time.time())
    payload = {
        "iss": ISS,
        "aud": AUD,
        "iat": now,
        "nbf": now,
        "exp": now + 900,
        "tekmac": tek_hmac(SECRET, teks),
        **claims,
    }
    return jwt.encode(payload, key, algorithm="ES256", headers={"kid": "v1"})


def _publish(client, certificate: str, teks, secret: bytes = SECRET):
    return client.simulate_post(
        "/v1/publish",
        json={
            "temporaryExposureKeys": teks,
            "verificationPayload": certificate,
            "hmacKey": base64.b64encode(secret).decode(),
        },
    )


def test_a_valid_certificate_publishes(client, signing_key):
    teks = make_teks(dt.datetime.now(dt.UTC))
    result = _publish(client, _certificate(signing_key, teks), teks)
    assert result.status_code == 200
    assert result.json["insertedExposures"] == 14
    assert result.json["revisionToken"]


def test_keys_that_do_not_match_the_tekmac_are_refused(client, signing_key):
    teks = make_teks(dt.datetime.now(dt.UTC))
    result = _publish(client, _certificate(signing_key, teks), teks, b"x" * 32)
    assert result.status_code == 400
    assert result.json["code"] == "hmac_mismatch"


@pytest.mark.parametrize(
    "claims",
    [{"iss": "someone-else"}, {"aud": "another-server"}, {"exp": 1_000_000}],
)
def test_wrong_issuer_audience_or_expired_certificates_are_refused(
    client, signing_key, claims
):
    teks = make_teks(dt.datetime.now(dt.UTC))
    result = _publish(client, _certificate(signing_key, teks, **claims), teks)
    assert result.status_code == 401
    assert "unable to validate certificate" in result.json["error"]


def test_a_certificate_signed_by_another_key_is_refused(client):
    teks = make_teks(dt.datetime.now(dt.UTC))
    stranger = ec.generate_private_key(ec.SECP256R1())
    result = _publish(client, _certificate(stranger, teks), teks)
    assert result.status_code == 401
