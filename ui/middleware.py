"""The UI's own middleware: HTTPS redirect, session, CSRF, identity, limits.

Method override, security headers and the rate-limit headers are the shared
ones of ``api.common``. Order (outermost first, see ``create_app``): method
override runs before routing so forms can PATCH/DELETE; security headers
wrap everything; the session must exist before CSRF can compare tokens;
identity needs the session; the rate limit keys on the identity when there
is one.
"""

from __future__ import annotations

import threading
import time

import falcon

from api.common.auth import limit_headers, request_ip
from api.common.middleware import form_value
from models.accounts import memberships, signin
from models.accounts.sessions import COOKIE_NAME, CookieCodec, Session

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
# Machine endpoints (JWKS, provider webhooks) carry no session or CSRF token.
BARE_PATHS = ("/static/", "/health", "/favicon.ico", "/jwks/", "/webhooks/")


def bare(req: falcon.Request) -> bool:
    """Say whether the request skips the session stack (§1.2 "Bare")."""
    return req.path.startswith(BARE_PATHS)


class HttpsRedirect:
    """Send plain-HTTP visitors to HTTPS unless in dev mode (§2.3)."""

    def __init__(self, dev_mode: bool):
        self.dev_mode = dev_mode

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Redirect with 301 keeping path and query."""
        # /health stays reachable for plain-HTTP load balancer probes.
        if self.dev_mode or req.path.startswith("/health"):
            return
        if req.scheme == "https" or req.get_header("X-Forwarded-Proto") == "https":
            return
        host = req.get_header("X-Forwarded-Host") or req.netloc
        query = f"?{req.query_string}" if req.query_string else ""
        raise falcon.HTTPMovedPermanently(f"https://{host}{req.path}{query}")


class SessionCookie:
    """Load the encrypted session cookie and save it on every response."""

    def __init__(self, services, *, refresh_seconds: float = 60.0):
        self._services = services
        self._ui = services.settings.ui
        self._codec: CookieCodec | None = None
        self._codec_until = 0.0
        self._refresh = refresh_seconds
        self._lock = threading.Lock()

    def codec(self) -> CookieCodec:
        """Return a codec over the current cookie keys (re-read each minute)."""
        with self._lock:
            if self._codec is None or time.monotonic() > self._codec_until:
                with self._services.db.connection() as conn:
                    keys = self._services.secrets.keys(conn, "cookie_keys")
                self._codec = CookieCodec(keys, self._ui.session_duration)
                self._codec_until = time.monotonic() + self._refresh
            return self._codec

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Open the session (a broken or stale cookie gives an empty one)."""
        if bare(req):
            return
        raw = req.cookies.get(COOKIE_NAME)
        data = self.codec().decode(raw, self._services.clock.now()) if raw else None
        req.context.session = Session(data or {})

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Refresh the activity time and write the cookie back."""
        session = getattr(req.context, "session", None)
        if session is None:
            return
        now = self._services.clock.now()
        if session.user_id:
            session.touch(now)
        resp.set_cookie(
            COOKIE_NAME,
            self.codec().encode(session.data, now),
            max_age=int(self._ui.session_duration),
            domain=self._ui.cookie_domain or None,
            path="/",
            secure=not self._services.settings.dev_mode,
            http_only=True,
            same_site="Strict",
        )


class Csrf:
    """Refuse state-changing requests without the session's CSRF token (§2.2)."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Check ``X-CSRF-Token`` or the ``csrf_token`` form field."""
        session = getattr(req.context, "session", None)
        if session is None:
            return
        session.csrf_token()
        if req.method in SAFE_METHODS:
            return
        presented = req.get_header("X-CSRF-Token") or form_value(req, "csrf_token")
        if not session.csrf_valid(presented):
            raise falcon.HTTPUnauthorized(description="unauthorized")


class Identity:
    """Resolve the signed-in user, their memberships and the chosen realm."""

    def __init__(self, services):
        self._db = services.db
        self._clock = services.clock
        self._ui = services.settings.ui

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Apply idle/absolute timeouts and revocation, then load memberships."""
        ctx = req.context
        ctx.user, ctx.memberships, ctx.membership, ctx.realm = None, [], None, None
        ctx.now = self._clock.now()
        session = getattr(ctx, "session", None)
        if session is None or not session.user_id:
            return
        now = self._clock.now()
        if session.idle_expired(now, self._ui.session_idle_timeout):
            session.sign_out()
            session.flash("error", ctx.t("login.session-idle"))
            return
        if session.absolute_expired(now, self._ui.session_duration):
            session.sign_out()
            session.flash("error", ctx.t("login.session-expired"))
            return
        with self._db.connection() as conn:
            user = signin.get_user(conn, session.user_id)
            if user is None or signin.is_revoked(user, session.auth_time):
                session.sign_out()
                session.flash("error", ctx.t("login.session-revoked"))
                return
            ctx.user = user
            ctx.memberships = memberships.for_user(conn, user.id)
            ctx.membership = memberships.find(
                ctx.memberships, session.data.get("realm")
            )
            if ctx.membership is None:
                session.data.pop("realm", None)
                return
            ctx.realm = memberships.realm_of(conn, ctx.membership)
        if ctx.realm is not None and ctx.realm.maintenance_mode:
            session.flash("warning", ctx.t("codes.maintenance-mode", ctx.realm.name))


class RateLimit:
    """Token bucket per user (or per IP when anonymous), with headers (§1.3)."""

    def __init__(self, limiter):
        self._limiter = limiter

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Take a token; answer 429 when the bucket is empty."""
        if bare(req):
            return
        user = getattr(req.context, "user", None)
        # NOTE(ui): keyed by user when known, fixing the original's IP-only key.
        key = f"user:{user.id}" if user else f"ip:{request_ip(req)}"
        decision = self._limiter.take("server:ratelimit", key)
        if not decision.limit:
            return
        reset = limit_headers(resp, decision)
        if not decision.allowed:
            resp.set_header("Retry-After", reset)
            resp.status = falcon.HTTP_429
            resp.content_type = falcon.MEDIA_TEXT
            resp.text = "Too Many Requests"
            resp.complete = True
