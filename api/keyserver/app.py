"""A key-server stand-in, so a one-machine `encv up` can run the e2e prober.

A real key server accepts a publish only when the verification certificate
verifies against the health authority's published keys (ES256, issuer and
audience) and its ``tekmac`` claim matches the uploaded keys. This stand-in
does exactly those checks against the apiserver's ``/.well-known/jwks.json``
and stores nothing; ``/v1/stats`` answers an empty history. It exists for
local stacks and demos: production points ENCV_KEY_SERVER_URL at the real
key server.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets

import falcon
import jwt

from models.duties.e2e import tek_hmac
from models.settings import Settings

CLOCK_SKEW = 5  # seconds of tolerance on exp/nbf, as key servers allow


class Publish:
    """``POST /v1/publish``: verify the certificate and the TEK HMAC."""

    def __init__(self, keys: jwt.PyJWKClient, issuer: str, audience: str):
        self._keys, self._issuer, self._audience = keys, issuer, audience

    def _claims(self, certificate: str) -> dict:
        key = self._keys.get_signing_key_from_jwt(certificate).key
        return jwt.decode(
            certificate,
            key,
            algorithms=["ES256"],
            issuer=self._issuer,
            audience=self._audience,
            leeway=CLOCK_SKEW,
        )

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Answer a revision token, or 400/401 with the reason."""
        body = req.get_media(default_when_empty={})
        teks = body.get("temporaryExposureKeys") or []
        try:
            claims = self._claims(str(body.get("verificationPayload", "")))
        except (jwt.PyJWTError, jwt.PyJWKClientError) as ex:
            resp.status = falcon.HTTP_401
            resp.media = {"error": f"unable to validate certificate: {ex}"}
            return
        try:
            secret = base64.b64decode(str(body.get("hmacKey", "")), validate=True)
            expected = tek_hmac(secret, teks)
        except (binascii.Error, KeyError, TypeError) as ex:
            resp.status = falcon.HTTP_400
            resp.media = {"error": f"bad request: {ex}", "code": "bad_request"}
            return
        if claims.get("tekmac") != expected:
            resp.status = falcon.HTTP_400
            resp.media = {"error": "HMAC mismatch", "code": "hmac_mismatch"}
            return
        resp.media = {
            "revisionToken": secrets.token_urlsafe(16),
            "insertedExposures": len(teks),
        }


class Stats:
    """``POST /v1/stats``: no history to report."""

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Answer an empty list of days."""
        resp.media = {"days": [], "padding": ""}


class Health:
    """``GET /health``."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Always up: the stand-in has no dependencies of its own."""
        resp.media = {"status": "ok"}


def create_app(jwks_url: str, issuer: str, audience: str, keys=None) -> falcon.App:
    """Build the stand-in verifying against ``jwks_url`` (or ``keys``, in tests)."""
    app = falcon.App()
    keys = keys or jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=60)
    app.add_route("/v1/publish", Publish(keys, issuer, audience))
    app.add_route("/v1/stats", Stats())
    app.add_route("/health", Health())
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: keys from the apiserver the prober talks to."""
    settings = Settings.from_env(os.environ)
    apiserver = settings.ops.e2e_apiserver_url.rstrip("/")
    return create_app(
        f"{apiserver}/.well-known/jwks.json",
        settings.tokens.certificate_issuer,
        settings.tokens.certificate_audience,
    )
