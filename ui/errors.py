"""Content-negotiated error pages (§0): HTML, JSON or plain text."""

from __future__ import annotations

import logging

import falcon

from ui.web import wants_html, wants_json

log = logging.getLogger(__name__)
PAGES = {400: "errors/400.mako", 401: "errors/401.mako", 404: "errors/404.mako"}


def install(app: falcon.App, pages) -> None:
    """Register the UI's error handlers on ``app``."""

    def render(req, resp, status: int, message: str) -> None:
        resp.status = status
        if wants_html(req):
            template = PAGES.get(status, "errors/500.mako")
            t = pages.translator(req)
            titles = {
                400: t("static.error-400"),
                401: t("static.error-401"),
                404: t("static.error-404"),
            }
            title = titles.get(status) or t("static.error-500")
            pages.render(
                req, resp, template, status=status, title=title, message=message
            )
        elif wants_json(req):
            resp.content_type = falcon.MEDIA_JSON
            resp.media = "Not Found" if status == 404 else {"error": message}
        else:
            resp.content_type = falcon.MEDIA_TEXT
            resp.text = message

    def http_error(req, resp, ex: falcon.HTTPError, params) -> None:
        status = ex.status_code
        message = ex.description or ex.title or "error"
        if status == 404:
            message = "Not Found"
        render(req, resp, status, message)
        for name, value in (ex.headers or {}).items():
            resp.set_header(name, value)

    def crash(req, resp, ex: Exception, params) -> None:
        if isinstance(ex, falcon.HTTPError | falcon.HTTPStatus):
            raise ex
        log.exception("unhandled error on %s %s", req.method, req.path)
        render(req, resp, 500, "Internal Server Error")

    app.add_error_handler(Exception, crash)
    app.add_error_handler(falcon.HTTPError, http_error)
