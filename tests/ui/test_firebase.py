"""Identity Platform / Firebase sign-in against a local JWKS server."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from models.accounts.firebase import FirebaseTokenError, FirebaseVerifier
from tests.fakes.jwks import JwksServer

ISSUER = "https://securetoken.google.com/encv-test"
AUDIENCE = "encv-test"


@pytest.fixture
def jwks():
    with JwksServer() as server:
        yield server


@pytest.fixture
def ui_env(jwks):
    return {
        "DEV_MODE": "true",
        "ENCV_AUTH_PROVIDER": "firebase",
        "ENCV_FIREBASE_JWKS_URL": jwks.url,
        "ENCV_FIREBASE_ISSUER": ISSUER,
        "ENCV_FIREBASE_AUDIENCE": AUDIENCE,
    }


def _token(jwks, clock, email, **claims):
    return jwks.token(
        issuer=ISSUER,
        audience=AUDIENCE,
        email=email,
        now=int(clock.now().timestamp()),
        **claims,
    )


def test_sign_in_with_id_token(browser, demo, jwks, clock):
    page = browser.get("/")
    assert 'name="idToken"' in page.text
    token = _token(jwks, clock, demo.realm_admin["email"])
    result = browser.form("/session", {"idToken": token})
    assert result.status_code == 303
    assert result.headers["Location"].endswith("/login/select-realm")
    assert browser.get("/account").status_code == 200
    assert jwks.hits >= 1


def test_second_factor_claim_marks_session_mfa(browser, demo, jwks, clock, conn):
    conn.execute("UPDATE realms SET mfa_mode = 1 WHERE id = %s", (demo.realm_id,))
    token = _token(
        jwks,
        clock,
        demo.realm_admin["email"],
        firebase={"sign_in_second_factor": "phone"},
    )
    browser.form("/session", {"idToken": token})
    browser.get("/login/select-realm")
    assert browser.get("/codes/issue").status_code == 200


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"aud": "someone-else"}, "invalid ID token"),
        ({"iss": "https://evil.example.com"}, "invalid ID token"),
        ({"exp": 1}, "expired"),
        ({"auth_time": 1}, "recent sign-in required"),
    ],
)
def test_bad_tokens_are_refused(jwks, clock, claims, message):
    verifier = FirebaseVerifier(jwks.url, ISSUER, AUDIENCE)
    token = _token(jwks, clock, "a@example.com", **claims)
    with pytest.raises(FirebaseTokenError, match=message):
        verifier.verify(token, clock.now())


def test_token_signed_by_another_key_is_refused(jwks, clock):
    verifier = FirebaseVerifier(jwks.url, ISSUER, AUDIENCE)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = _token(jwks, clock, "a@example.com", signing_key=stranger)
    with pytest.raises(FirebaseTokenError):
        verifier.verify(token, clock.now())


def test_good_token_gives_identity(jwks, clock):
    verifier = FirebaseVerifier(jwks.url, ISSUER, AUDIENCE)
    identity = verifier.verify(_token(jwks, clock, "a@example.com"), clock.now())
    assert identity.email == "a@example.com" and identity.email_verified
    assert identity.mfa is False
    assert identity.auth_time == clock.now().replace(microsecond=0)
    later = clock.now() + dt.timedelta(hours=2)
    with pytest.raises(FirebaseTokenError, match="expired"):
        verifier.verify(_token(jwks, clock, "a@example.com"), later)


def test_rejected_token_through_the_app(browser, demo, jwks, clock):
    token = _token(jwks, clock, demo.realm_admin["email"], aud="nope")
    # Post/redirect/get: refusals go back to the sign-in page with a flash.
    result = browser.form("/session", {"idToken": token})
    assert result.status_code == 303 and result.headers["Location"].endswith("/")
    assert browser.get("/codes/issue").headers["Location"].endswith("/")
    token = _token(jwks, clock, "stranger@example.com")
    stranger = browser.form("/session", {"idToken": token})
    assert stranger.status_code == 303
    assert "Sign-in failed. Please try again." in browser.follow(stranger).text
