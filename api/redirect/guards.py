"""Checks in front of the web view: host, rate limit, session cookie."""

from __future__ import annotations

import falcon

from api.common.auth import request_ip, rfc1123
from api.redirect.session import COOKIE_NAME, SessionCodec
from db.ratelimit import RateLimiter
from models.clock import Clock
from models.network import strip_port

RATE_LIMIT_NAMESPACE = "redirect:ratelimit:ip"


class ReportGate:
    """Host check, session and per-IP rate limit shared by both report routes."""

    def __init__(
        self,
        *,
        domain: str,
        dev_mode: bool,
        limiter: RateLimiter,
        codec: SessionCodec,
        clock: Clock,
    ):
        self._domain = domain.lower()
        self._dev_mode = dev_mode
        self._limiter = limiter
        self._codec = codec
        self._clock = clock

    def host_allowed(self, req: falcon.Request) -> bool:
        """Say whether the request came to the redirect domain itself."""
        host = (req.get_header("Host") or "").strip().lower()
        if self._dev_mode:
            host = strip_port(host)
        return bool(self._domain) and host == self._domain

    def load_session(self, req: falcon.Request) -> dict:
        """Open the request's session cookie (empty when absent or invalid)."""
        return self._codec.open(req.cookies.get(COOKIE_NAME), self._now())

    def save_session(self, resp: falcon.Response, session: dict) -> None:
        """Write the session cookie back (saved on every response)."""
        resp.set_cookie(
            COOKIE_NAME,
            self._codec.seal(session, self._now()),
            max_age=int(self._codec.max_age),
            # Browsers refuse Domain=localhost or an IP, which dev setups use.
            domain=None if self._dev_mode else self._domain,
            path="/",
            secure=not self._dev_mode,
            http_only=True,
            same_site="Strict",
        )

    def rate_limited(self, req: falcon.Request, resp: falcon.Response) -> bool:
        """Take a token for the client IP; write the 429 and say so when out."""
        decision = self._limiter.take(RATE_LIMIT_NAMESPACE, request_ip(req))
        reset = rfc1123(decision.reset)
        resp.set_header("X-RateLimit-Limit", str(decision.limit))
        resp.set_header("X-RateLimit-Remaining", str(decision.remaining))
        resp.set_header("X-RateLimit-Reset", reset)
        if decision.allowed:
            return False
        resp.status = 429
        resp.set_header("Retry-After", reset)
        resp.content_type = "text/plain; charset=utf-8"
        resp.text = "Too Many Requests\n"
        return True

    def _now(self) -> float:
        return self._clock.now().timestamp()
