"""Factory of the device API (apiserver)."""

from __future__ import annotations

import falcon

from api.common.auth import ApiKeyAuth, Firewall, RateLimit, install_handlers
from api.common.factory import base_app, services_from_env
from models.services import Services


def create_app(services: Services) -> falcon.App:
    """Build the apiserver app around ``services``."""
    # Order (protocol §2.5): key -> realm firewall -> (chaff) -> rate limit,
    # so chaff needs a valid key but never spends rate-limit tokens.
    middleware = [
        ApiKeyAuth(services.db, services.cache, services.secrets),
        Firewall("allowed_cidrs_apiserver"),
        RateLimit(services.limiter, "apiserver"),
    ]
    app = base_app(services, extra_middleware=middleware)
    install_handlers(app)
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'api.device.app:get_app()'``."""
    return create_app(services_from_env("apiserver"))
