"""Identity Platform / Firebase ID tokens verified against a JWKS URL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jwt

# Firebase refuses to mint a session from a sign-in older than this.
MAX_AUTH_AGE = dt.timedelta(minutes=5)


class FirebaseTokenError(ValueError):
    """The ID token is not acceptable."""


@dataclass(frozen=True)
class Identity:
    """What the server keeps from a verified ID token."""

    email: str
    email_verified: bool
    auth_time: dt.datetime
    mfa: bool


class FirebaseVerifier:
    """Verify RS256 ID tokens with keys fetched (and cached) from a JWKS URL."""

    def __init__(self, jwks_url: str, issuer: str, audience: str):
        if not jwks_url:
            raise ValueError("ENCV_FIREBASE_JWKS_URL is required for firebase sign-in")
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600)
        self._issuer = issuer
        self._audience = audience

    def verify(self, id_token: str, now: dt.datetime) -> Identity:
        """Return the identity in ``id_token`` or raise FirebaseTokenError."""
        try:
            key = self._jwks.get_signing_key_from_jwt(id_token)
            claims = jwt.decode(
                id_token,
                key.key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                # pyjwt would read the system time: the clock checks come below.
                options={
                    "require": ["exp", "iat", "aud", "iss", "sub"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
        except jwt.PyJWTError as ex:
            raise FirebaseTokenError(f"invalid ID token: {ex}") from ex
        if claims["exp"] <= now.timestamp():
            raise FirebaseTokenError("invalid ID token: expired")
        if claims["iat"] > now.timestamp() + 60:
            raise FirebaseTokenError("invalid ID token: issued in the future")
        auth_time = dt.datetime.fromtimestamp(int(claims.get("auth_time", 0)), dt.UTC)
        if now - auth_time > MAX_AUTH_AGE:
            raise FirebaseTokenError("recent sign-in required")
        email = claims.get("email")
        if not email:
            raise FirebaseTokenError("invalid ID token: no email")
        firebase = claims.get("firebase") or {}
        return Identity(
            email=email,
            email_verified=bool(claims.get("email_verified")),
            auth_time=auth_time,
            mfa=bool(firebase.get("sign_in_second_factor")),
        )
