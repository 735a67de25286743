"""One place that maps failures to the wire (protocol §1.2, §1.4)."""

from __future__ import annotations

import logging

import falcon

from api.common.jsonio import dumps
from db.cache import BackendUnavailable
from db.pool import DatabaseUnavailable
from models.errors import DomainError

log = logging.getLogger(__name__)

ALLOWED_STATUSES = {200, 400, 401, 404, 405, 409, 412, 413, 429, 500}


def envelope(message: str, code: str = "") -> dict:
    """Return the error body with all three keys present."""
    return {"error": message, "errorCode": code, "error_code": code}


def write_error(
    resp: falcon.Response, status: int, message: str, code: str = ""
) -> None:
    """Render an error envelope with ``status`` (unregistered statuses become 500)."""
    if status not in ALLOWED_STATUSES:
        resp.status = 500
        resp.content_type = falcon.MEDIA_JSON
        resp.text = dumps(
            {"error": f"{status} is not a registered response code"}
        ).rstrip()
        return
    resp.status = status
    resp.content_type = falcon.MEDIA_JSON
    resp.text = dumps(envelope(message, code))


def _wants(req: falcon.Request) -> str:
    # The original splits Accept + Content-Type on "," without trimming.
    items = (req.get_header("Accept") or "").split(",") + (
        req.content_type or ""
    ).split(",")
    if any(item.startswith("text/html") for item in items):
        return "html"
    if any(item.startswith("application/json") for item in items):
        return "json"
    return "text"


def write_generic(
    resp: falcon.Request, req: falcon.Request, status: int, text: str, json_body: dict
) -> None:
    """Content-negotiated generic error (HTML first, then JSON, else text)."""
    resp.status = status
    kind = _wants(req)
    if kind == "html":
        resp.content_type = falcon.MEDIA_HTML
        resp.text = f"<!doctype html><title>{text}</title><h1>{text}</h1>\n"
    elif kind == "json":
        resp.content_type = falcon.MEDIA_JSON
        resp.text = dumps(json_body).rstrip("\n")
    else:
        resp.content_type = "text/plain; charset=utf-8"
        resp.text = text


# Seconds a client should wait after a 503 (a backing service is down).
RETRY_AFTER_SECONDS = 2


def request_id(req: falcon.Request) -> str:
    """Return the request id the RequestId middleware assigned ('-' if none)."""
    return getattr(req.context, "request_id", None) or "-"


def internal_error(req: falcon.Request, resp: falcon.Response) -> None:
    """Render the generic 500 of the original, never with a reason in it.

    The original shows the reason in dev mode; we never do (design.md §5):
    callers log the detail with the request id instead.
    """
    write_generic(
        resp, req, 500, "Internal Server Error", {"error": "Internal Server Error"}
    )


def unavailable(req: falcon.Request, resp: falcon.Response) -> None:
    """Render 503 with ``Retry-After``: a backing service is down, try again."""
    write_generic(
        resp,
        req,
        503,
        "Service Unavailable",
        envelope("service temporarily unavailable", "internal_server_error"),
    )
    resp.set_header("Retry-After", str(RETRY_AFTER_SECONDS))


def log_hidden_error(req: falcon.Request, detail: str) -> None:
    """Log the reason of a 500 whose body does not carry it."""
    log.error(
        "internal error on %s %s rid=%s: %s",
        req.method,
        req.path,
        request_id(req),
        detail,
    )


def unauthorized(req: falcon.Request, resp: falcon.Response) -> None:
    """Render the generic 401 (no detail about why)."""
    write_generic(resp, req, 401, "Unauthorized", envelope("unauthorized"))


def install(app: falcon.App, *, dev_mode: bool = False) -> None:
    """Register the error handlers of a JSON surface on ``app``.

    ``dev_mode`` no longer changes any body: exception text stays in the log.
    """

    def domain_error(req, resp, ex: DomainError, params):
        write_error(resp, ex.status, ex.message, str(ex.code))

    def db_down(req, resp, ex, params):
        log.error(
            "dependency unavailable on %s %s rid=%s: %s",
            req.method,
            req.path,
            request_id(req),
            ex,
        )
        unavailable(req, resp)

    def not_found(req, resp, ex, params):
        resp.status = 404
        resp.content_type = "text/plain; charset=utf-8"
        resp.text = "404 page not found\n"

    def not_allowed(req, resp, ex, params):
        resp.status = 405
        resp.text = ""
        resp.content_type = "text/plain; charset=utf-8"
        for name, value in (ex.headers or {}).items():
            resp.set_header(name, value)

    def unexpected(req, resp, ex, params):
        if isinstance(ex, falcon.HTTPError):
            # Falcon's own errors (e.g. a bad header) keep their status.
            resp.status = ex.status
            resp.content_type = falcon.MEDIA_JSON
            resp.text = dumps(envelope(ex.title or "", "")).rstrip("\n")
            return
        if isinstance(ex, TimeoutError):
            # The client stopped sending its body (encv/workers.py bounds reads).
            log.info("request body timed out rid=%s", request_id(req))
            write_generic(
                resp,
                req,
                408,
                "Request Timeout",
                envelope("request body not received in time", "unparsable_request"),
            )
            return
        log.exception(
            "unhandled error on %s %s rid=%s", req.method, req.path, request_id(req)
        )
        internal_error(req, resp)

    app.add_error_handler(Exception, unexpected)
    app.add_error_handler(falcon.HTTPError, unexpected)
    app.add_error_handler(falcon.HTTPRouteNotFound, not_found)
    app.add_error_handler(falcon.HTTPNotFound, not_found)
    app.add_error_handler(falcon.HTTPMethodNotAllowed, not_allowed)
    app.add_error_handler(DomainError, domain_error)
    app.add_error_handler(DatabaseUnavailable, db_down)
    app.add_error_handler(BackendUnavailable, db_down)
