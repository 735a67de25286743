"""Factory of the admin API (adminapi)."""

from __future__ import annotations

import falcon

from api.common.auth import ApiKeyAuth, Firewall, RateLimit, install_handlers
from api.common.factory import base_app, services_from_env
from models.services import Services


def create_app(services: Services) -> falcon.App:
    """Build the adminapi app around ``services``."""
    # Order (protocol §2.5): key -> rate limit -> realm firewall.
    middleware = [
        ApiKeyAuth(services.db, services.cache, services.secrets),
        RateLimit(services.limiter, "adminapi"),
        Firewall("allowed_cidrs_adminapi"),
    ]
    app = base_app(services, extra_middleware=middleware)
    install_handlers(app)
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'api.admin.app:get_app()'``."""
    return create_app(services_from_env("adminapi"))
