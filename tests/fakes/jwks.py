"""A local JWKS server and an RSA key that mints Firebase-style ID tokens."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class JwksServer:
    """Serve one RSA public key at ``/jwks.json``; sign tokens with it."""

    def __init__(self, kid: str = "test-key-1"):
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update(kid=kid, use="sig", alg="RS256")
        body = json.dumps({"keys": [public]}).encode()
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server naming
                outer.hits += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/jwks.json"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> JwksServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def token(self, *, issuer: str, audience: str, email: str, **claims) -> str:
        """Return an RS256 ID token; ``claims`` override the defaults."""
        now = int(claims.pop("now", time.time()))
        key = claims.pop("signing_key", None) or self.key
        payload = {
            "iss": issuer,
            "aud": audience,
            "sub": "uid-" + email,
            "iat": now,
            "exp": now + 3600,
            "auth_time": now,
            "email": email,
            "email_verified": True,
            **claims,
        }
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": self.kid})
