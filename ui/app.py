"""Factory of the web UI (server)."""

from __future__ import annotations

import atexit
import logging
import os

import falcon

from models.services import Services, build_services
from models.settings import Settings
from ui.render import make_lookup

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


class UiSecurityHeaders:
    """Strict headers for pages people load in a browser."""

    def __init__(self, dev_mode: bool):
        self.dev_mode = dev_mode

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Set CSP, framing, sniffing and referrer policy on every response."""
        resp.set_header("Content-Security-Policy", CSP)
        resp.set_header("X-Frame-Options", "DENY")
        resp.set_header("X-Content-Type-Options", "nosniff")
        resp.set_header("Referrer-Policy", "strict-origin-when-cross-origin")
        https = req.scheme == "https" or req.get_header("X-Forwarded-Proto") == "https"
        if https and not self.dev_mode:
            resp.set_header(
                "Strict-Transport-Security",
                "max-age=315360000; includeSubDomains; preload",
            )


class Health:
    """``GET /health``: checks the database."""

    def __init__(self, db):
        self._db = db

    def on_get(self, req, resp):
        """Answer 200 when the database responds."""
        try:
            with self._db.connection() as conn:
                conn.execute("SELECT 1")
        except Exception:  # any failure means "not healthy"
            resp.status = 500
            resp.media = {"error": "Internal Server Error"}
            return
        resp.media = {"status": "ok"}


class Home:
    """``GET /``: landing page."""

    def __init__(self, lookup):
        self._lookup = lookup

    def on_get(self, req, resp):
        """Render the landing page."""
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self._lookup.get_template("home.mako").render(
            lang="en", title="Sign in"
        )


def create_app(services: Services) -> falcon.App:
    """Build the server (web UI) app around ``services``."""
    lookup = make_lookup()
    app = falcon.App(middleware=[UiSecurityHeaders(services.settings.dev_mode)])
    app.add_route("/health", Health(services.db))
    app.add_route("/", Home(lookup))
    app.add_static_route(
        "/static", str(os.path.join(os.path.dirname(__file__), "static"))
    )
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'ui.app:get_app()'``."""
    logging.basicConfig(level=os.environ.get("ENCV_LOG_LEVEL", "INFO"))
    services = build_services(Settings.from_env(os.environ), name="server")
    atexit.register(services.close)
    return create_app(services)
