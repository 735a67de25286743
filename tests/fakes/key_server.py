"""A fake exposure-notifications key server: publish and stats.

It verifies verification certificates the way the real key server does:
ES256 signature against the health authority's public keys (a JWKS URL or a
static ``{kid: public key}`` map), ``iss``/``aud`` claims, and the TEK HMAC
(``tekmac``) recomputed from the uploaded keys and ``hmacKey``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

import httpx
import jwt

from tests.fakes.http import FakeHttpServer


def _tek_mac(teks: list[dict], secret: bytes, with_risk: bool = True) -> str:
    parts = sorted(
        (
            f"{t['key']}.{t['rollingStartNumber']}.{t['rollingPeriod']}"
            + (f".{t.get('transmissionRisk', 0)}" if with_risk else "")
        )
        for t in teks
    )
    digest = hmac.new(secret, ",".join(parts).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class FakeKeyServer:
    """Serve ``/v1/publish`` and ``/v1/stats`` on a real local HTTP port."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        keys: dict | None = None,
        jwks_url: str = "",
        stats_days: list[dict] | None = None,
        reject_publish: str = "",
        clock=time.time,
    ):
        self.issuer, self.audience = issuer, audience
        self.keys = keys or {}
        self.jwks_url = jwks_url
        self.stats_days = stats_days or []
        self.reject_publish = reject_publish
        self.clock = clock  # Unix seconds; tests with a pinned clock pass theirs
        self.published: list[dict] = []
        self.stats_claims: list[dict] = []
        self.http = FakeHttpServer(
            {("POST", "/v1/publish"): self._publish, ("POST", "/v1/stats"): self._stats}
        )

    def __enter__(self) -> FakeKeyServer:
        self.http.__enter__()
        self.url = self.http.url
        return self

    def __exit__(self, *exc) -> None:
        self.http.__exit__(*exc)

    def _public_key(self, kid: str):
        if kid in self.keys:
            return self.keys[kid]
        if self.jwks_url:
            data = httpx.get(self.jwks_url, timeout=5).json()
            for jwk in data["keys"] if isinstance(data, dict) else data:
                if jwk.get("kid") == kid:
                    return jwt.algorithms.ECAlgorithm.from_jwk(json.dumps(jwk))
        raise LookupError(f"unknown kid {kid!r}")

    def _verify(self, token: str) -> dict:
        kid = jwt.get_unverified_header(token).get("kid", "")
        claims = jwt.decode(
            token,
            self._public_key(kid),
            algorithms=["ES256"],
            audience=self.audience,
            issuer=self.issuer,
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
        now = self.clock()
        if not claims.get("exp") or claims["exp"] < now - 5:
            raise ValueError("certificate has expired")
        if claims.get("nbf", 0) > now + 5:
            raise ValueError("certificate is not yet valid")
        return claims

    def _publish(self, method, path, headers, body):
        request = json.loads(body)
        if self.reject_publish:
            return 400, {"error": self.reject_publish, "code": "unable_to_verify"}
        try:
            claims = self._verify(request["verificationPayload"])
        except Exception as ex:
            return 401, {"error": f"unable to validate certificate: {ex}"}
        secret = base64.b64decode(request["hmacKey"])
        teks = request["temporaryExposureKeys"]
        macs = {_tek_mac(teks, secret)}
        if all(t.get("transmissionRisk", 0) == 0 for t in teks):
            macs.add(_tek_mac(teks, secret, with_risk=False))
        if claims.get("tekmac") not in macs:
            return 400, {"error": "HMAC mismatch", "code": "hmac_mismatch"}
        self.published.append({"claims": claims, "request": request})
        return 200, {
            "revisionToken": secrets.token_urlsafe(16),
            "insertedExposures": len(teks),
        }

    def _stats(self, method, path, headers, body):
        auth = headers.get("authorization", "")
        try:
            claims = self._verify(auth.removeprefix("Bearer "))
        except Exception as ex:
            return 401, {"error": f"unauthorized: {ex}", "code": "unauthorized"}
        self.stats_claims.append(claims)
        return 200, {"days": self.stats_days, "padding": ""}
