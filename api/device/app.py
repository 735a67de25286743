"""Factory of the device API (apiserver)."""

from __future__ import annotations

import falcon

from api.common.factory import base_app, services_from_env
from models.services import Services


def create_app(services: Services) -> falcon.App:
    """Build the apiserver app around ``services``."""
    app = base_app(services)
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'api.device.app:get_app()'``."""
    return create_app(services_from_env("apiserver"))
