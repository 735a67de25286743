"""Cross-cutting middleware shared by every surface, the web UI included."""

from __future__ import annotations

import logging
import os
import re
import time

import falcon

from models.network import NO_PROXIES, TrustedProxies, canonical_ip, strip_port
from models.telemetry import logs

log = logging.getLogger("encv.access")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def resolve_ip(req: falcon.Request, trusted: TrustedProxies = NO_PROXIES) -> str:
    """Return the client IP of ``req`` behind ``trusted``, port stripped, canonical."""
    forwarded = req.get_header("X-Forwarded-For")
    return canonical_ip(strip_port(trusted.client_ip(req.remote_addr, forwarded)))


def is_https(req: falcon.Request) -> bool:
    """Say whether the request came over HTTPS (set by :class:`ClientAddress`)."""
    known = getattr(req.context, "https", None)
    return req.scheme == "https" if known is None else known


class ClientAddress:
    """Decide once per request who the client is and whether it used HTTPS.

    Proxy headers (``X-Forwarded-For``, ``X-Forwarded-Proto``) count only
    when the request comes through a trusted proxy (design.md §5).
    """

    def __init__(self, trusted: TrustedProxies = NO_PROXIES):
        self.trusted = trusted

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Store ``client_ip`` and ``https`` on ``req.context``."""
        req.context.client_ip = resolve_ip(req, self.trusted)
        behind = bool(self.trusted.hops) or self.trusted.trusts(req.remote_addr or "")
        forwarded = req.get_header("X-Forwarded-Proto") == "https"
        req.context.https = req.scheme == "https" or (behind and forwarded)


class RequestId:
    """Give every request an id (``X-Request-Id``) for logs and support."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Take the caller's id or make one."""
        given = req.get_header("X-Request-Id")
        # Echoed in a header and written to logs: only a plain token is kept.
        rid = given if given and _REQUEST_ID.fullmatch(given) else os.urandom(16).hex()
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

    ``csp`` sets a Content-Security-Policy (the web UI's strict one);
    ``no_store`` marks every response that did not choose its own caching
    ``Cache-Control: no-store`` (pages of signed-in people stay out of shared
    and back-button caches). Over HTTPS every cookie is made ``Secure``, in
    dev mode too; HSTS is left out in dev mode so localhost is not pinned.
    """

    def __init__(
        self,
        *,
        html: bool = False,
        dev_mode: bool = False,
        csp: str | None = None,
        no_store: bool = False,
    ):
        self.html = html
        self.dev_mode = dev_mode
        self.csp = csp
        self.no_store = no_store

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Set the headers on every response."""
        if self.csp:
            resp.set_header("Content-Security-Policy", self.csp)
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.set_header("Referrer-Policy", "strict-origin-when-cross-origin")
        if self.html:
            resp.set_header("X-Frame-Options", "DENY")
        if self.no_store and not resp.get_header("Cache-Control"):
            resp.set_header("Cache-Control", "no-store")
        if not is_https(req):
            return
        for morsel in (resp._cookies or {}).values():  # Falcon keeps no public view
            morsel["secure"] = True
        if not self.dev_mode:
            resp.set_header(
                "Strict-Transport-Security",
                "max-age=315360000; includeSubDomains; preload",
            )
