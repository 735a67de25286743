"""Cross-cutting middleware shared by the machine-facing surfaces."""

from __future__ import annotations

import logging
import time
import uuid

import falcon

log = logging.getLogger("encv.access")


class RequestId:
    """Give every request an id (``X-Request-Id``) for logs and support."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Take the caller's id or make one."""
        rid = (req.get_header("X-Request-Id") or "")[:64] or uuid.uuid4().hex
        req.context.request_id = rid
        req.context.started = time.perf_counter()
        resp.set_header("X-Request-Id", rid)

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Log one line per request."""
        if log.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - req.context.started) * 1000
            log.info(
                "%s %s %s %.1fms rid=%s",
                req.method,
                req.path,
                resp.status,
                elapsed,
                req.context.request_id,
            )


class MethodOverride:
    """Honour ``_method`` in the query string before routing (protocol §0)."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Replace the method when ``_method`` is present."""
        override = req.get_param("_method")
        if override:
            req.method = override.upper()


class SecurityHeaders:
    """Security headers of protocol §1.6; ``html`` adds X-Frame-Options."""

    def __init__(self, *, html: bool = False, dev_mode: bool = False):
        self.html = html
        self.dev_mode = dev_mode

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Set the headers on every response."""
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
