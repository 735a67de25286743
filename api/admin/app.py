"""Factory of the admin API (adminapi)."""

from __future__ import annotations

import falcon

from api.admin.batch import BatchIssueResource
from api.admin.expire import ExpireCodeResource
from api.admin.issue import IssueResource
from api.admin.openapi import OpenApiResource
from api.admin.stats import ROUTES as STATS_ROUTES
from api.admin.stats import StatsResource
from api.admin.status import CodeStatusResource
from api.common.auth import ApiKeyAuth, Firewall, RateLimit, install_handlers
from api.common.factory import base_app, services_from_env
from models.codes.expiry import ExpireService
from models.codes.issue import IssueService
from models.services import Services
from models.stats.reports import StatsReports


def create_app(services: Services, issuer: IssueService | None = None) -> falcon.App:
    """Build the adminapi app around ``services`` (tests may pass ``issuer``)."""
    # Order (protocol §2.5): key -> rate limit -> realm firewall.
    middleware = [
        ApiKeyAuth(services.db, services.cache, services.secrets),
        RateLimit(services.limiter, "adminapi"),
        Firewall("allowed_cidrs_adminapi"),
    ]
    app = base_app(services, surface="adminapi", extra_middleware=middleware)
    install_handlers(app)
    issuer = issuer or IssueService(services)
    settings = services.settings
    app.add_route("/api/issue", IssueResource(issuer, settings))
    app.add_route("/api/batch-issue", BatchIssueResource(issuer, settings))
    app.add_route("/api/checkcodestatus", CodeStatusResource(services.db))
    app.add_route(
        "/api/expirecode",
        ExpireCodeResource(ExpireService(services.db, services.clock)),
    )
    reports = StatsReports(services.db, services.cache, services.clock)
    for route, kind in STATS_ROUTES:
        app.add_route(route, StatsResource(reports, services.clock, kind))
    app.add_route("/openapi.json", OpenApiResource())
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'api.admin.app:get_app()'``."""
    return create_app(services_from_env("adminapi"))
