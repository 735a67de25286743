"""Cross-cutting middleware shared by every surface, the web UI included."""

from __future__ import annotations

import logging
import time
import uuid

import falcon

from models.telemetry import logs

log = logging.getLogger("encv.access")


class RequestId:
    """Give every request an id (``X-Request-Id``) for logs and support."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Take the caller's id (printable, at most 64 characters) or make one."""
        given = (req.get_header("X-Request-Id") or "")[:64]
        rid = given if given.isprintable() and given.isascii() else ""
        rid = rid or uuid.uuid4().hex
        req.context.request_id = rid
        req.context.started = time.perf_counter()
        # Every log line of this request, and every call it makes, carries it.
        logs.request_id.set(rid)
        logs.realm_id.set(None)
        logs.route.set("")
        resp.set_header("X-Request-Id", rid)

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Log one access line per request."""
        realm = getattr(req.context, "realm", None)
        if realm is not None:
            logs.realm_id.set(getattr(realm, "id", None))
        if log.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - req.context.started) * 1000
            log.info(
                "%s %s %s %.1fms",
                req.method,
                req.path,
                resp.status_code,
                elapsed,
                extra={
                    "method": req.method,
                    "path": req.path,
                    "status": resp.status_code,
                    "duration_ms": round(elapsed, 2),
                },
            )


def form_value(req: falcon.Request, name: str) -> str | None:
    """Return a field of a urlencoded body (None for other bodies)."""
    if req.content_type and req.content_type.startswith(falcon.MEDIA_URLENCODED):
        media = req.get_media(default_when_empty={})
        value = media.get(name)
        return value[0] if isinstance(value, list) else value
    return None


class MethodOverride:
    """Honour ``_method`` before routing (protocol §0).

    The APIs take it from the query string only; with ``forms=True`` (the web
    UI) a POSTed form may carry it too, since HTML forms cannot PATCH/DELETE.
    """

    def __init__(self, *, forms: bool = False):
        self.forms = forms

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Replace the method, upper-cased, when ``_method`` is present."""
        override = req.get_param("_method")
        if not override and self.forms and req.method == "POST":
            override = form_value(req, "_method")
        if override:
            req.method = override.upper()


class SecurityHeaders:
    """Security headers of protocol §1.6; ``html`` adds X-Frame-Options.

    ``csp`` sets a Content-Security-Policy (the web UI's strict one).
    """

    def __init__(
        self, *, html: bool = False, dev_mode: bool = False, csp: str | None = None
    ):
        self.html = html
        self.dev_mode = dev_mode
        self.csp = csp

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Set the headers on every response."""
        if self.csp:
            resp.set_header("Content-Security-Policy", self.csp)
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.set_header("Referrer-Policy", "strict-origin-when-cross-origin")
        if self.html:
            resp.set_header("X-Frame-Options", "DENY")
        https = req.scheme == "https" or req.get_header("X-Forwarded-Proto") == "https"
        if https and not self.dev_mode:
            resp.set_header(
                "Strict-Transport-Security",
                "max-age=315360000; includeSubDomains; preload",
            )
