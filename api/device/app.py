"""Factory of the device API (apiserver)."""

from __future__ import annotations

from functools import partial

import falcon

from api.common.auth import ApiKeyAuth, Firewall, RateLimit, install_handlers
from api.common.factory import base_app, services_from_env
from api.device.certificate import CertificateResource
from api.device.chaff import Chaff
from api.device.jwks import AllJwksResource, RealmJwksResource
from api.device.openapi import OpenApiResource
from api.device.user_report import UserReportResource
from api.device.verify import VerifyResource
from models.codes.certificate import CertificateSigners, Certifier
from models.codes.issue import IssueService
from models.codes.tokens import TokenKeys
from models.codes.user_report import UserReports
from models.codes.verify import Verifier
from models.services import Services


def create_app(services: Services, issuer: IssueService | None = None) -> falcon.App:
    """Build the apiserver app around ``services`` (tests may pass ``issuer``)."""
    settings = services.settings
    # Order (protocol §2.5): key -> realm firewall -> chaff -> rate limit, so
    # chaff needs a valid key and allowed IP but never spends rate-limit tokens.
    middleware = [
        ApiKeyAuth(services.db, services.cache, services.secrets),
        Firewall("allowed_cidrs_apiserver"),
        Chaff(services.db, services.clock, settings.codes.chaff_max_latency_ms),
        RateLimit(services.limiter, "apiserver"),
    ]
    app = base_app(services, surface="apiserver", extra_middleware=middleware)
    install_handlers(app)

    token_keys = TokenKeys(services.keystore)
    verifier = Verifier(services.secrets, token_keys, services.clock, settings.tokens)
    certifier = Certifier(
        token_keys,
        CertificateSigners(services.keystore, settings.tokens),
        services.clock,
        settings.tokens,
    )
    app.add_route(
        "/api/verify",
        VerifyResource(services.db, verifier, settings.maintenance_mode),
    )
    app.add_route("/api/certificate", CertificateResource(services.db, certifier))
    app.add_route(
        "/api/user-report",
        UserReportResource(
            UserReports(
                (lambda: issuer) if issuer else partial(IssueService, services)
            ),
            settings.maintenance_mode,
            settings.dev_mode,
        ),
    )
    jwks_args = (services.db, services.keystore, services.cache)
    app.add_route("/jwks/{realm_id:int(min=0)}", RealmJwksResource(*jwks_args))
    app.add_route("/.well-known/jwks.json", AllJwksResource(*jwks_args))
    app.add_route("/openapi.json", OpenApiResource())
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'api.device.app:get_app()'``."""
    return create_app(services_from_env("apiserver"))
