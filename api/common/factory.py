"""The skeleton every machine-facing Falcon app starts from."""

from __future__ import annotations

import atexit
import os

import falcon

from api.common import errors, health, jsonio
from api.common.metrics import RequestMetrics, pool_stats_of
from api.common.middleware import (
    ClientAddress,
    MethodOverride,
    RequestId,
    SecurityHeaders,
)
from models.services import Services, build_services
from models.settings import Settings
from models.telemetry.logs import configure_from


def base_app(
    services: Services, *, surface: str, html: bool = False, extra_middleware=()
) -> falcon.App:
    """Return an app with the shared middleware, error handlers and /health."""
    settings = services.settings
    # Order matters: the request id exists before anything logs; the method
    # override must run before routing; security headers wrap everything.
    middleware = [
        RequestId(),
        ClientAddress(settings.trusted_proxies),
        RequestMetrics(surface, pool_stats_of(services.db)),
        MethodOverride(),
        SecurityHeaders(html=html, dev_mode=settings.dev_mode),
        *extra_middleware,
    ]
    app = falcon.App(middleware=middleware)
    app.req_options.strip_url_path_trailing_slash = False
    jsonio.install(app)
    errors.install(app, dev_mode=settings.dev_mode)
    health.install(app, services.db, settings.maintenance_mode)
    return app


def services_from_env(name: str) -> Services:
    """Build this worker's services from the environment (gunicorn entry points)."""
    configure_from(os.environ, name)
    services = build_services(Settings.from_env(os.environ), name=name)
    atexit.register(services.close)
    return services
