"""Factory of the ENX redirector (enx-redirect, protocol §8.5 and §9)."""

from __future__ import annotations

import re
from pathlib import Path

import falcon

from api.common.factory import base_app, services_from_env
from api.redirect.associated import android_file, ios_file
from api.redirect.guards import ReportGate
from api.redirect.links import RedirectLinks, WellKnownRoot
from api.redirect.pages import Pages
from api.redirect.report import (
    ReportIssueResource,
    ReportResource,
    ReportSubmitter,
    ReportView,
)
from api.redirect.session import SessionCodec
from api.redirect.webhook import WebhookSender
from db.rows import Realm
from models.codes.issue import Issuer, IssueRequest, IssueService
from models.codes.sms import USER_REPORT_TEMPLATE_LABEL
from models.errors import DomainError, ErrorCode
from models.redirect.directory import RedirectDirectory
from models.redirect.rules import WebReport
from models.redirect.translations import DynamicTranslations
from models.services import Services

STATIC = Path(__file__).parent / "static"


class RobotsTxt:
    """``/robots.txt``: keep the redirector out of search indexes."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Disallow everything."""
        resp.content_type = "text/plain; charset=utf-8"
        resp.text = (STATIC / "robots.txt").read_text()


def default_submitter(services: Services) -> ReportSubmitter:
    """Return the callable that turns a web-view report into an issued code."""
    issuer = IssueService(services)

    def submit(realm: Realm, report: WebReport) -> dict | None:
        result = issuer.issue(
            realm,
            Issuer.for_user_report(report.app_id, report.app_name, report.nonce),
            IssueRequest(
                test_type="user-report",
                test_date=report.test_date,
                symptom_date=report.symptom_date,
                phone=report.phone,
                sms_template_label=USER_REPORT_TEMPLATE_LABEL,
                only_generate_sms=report.only_generate_sms,
            ),
        )
        if result.duplicate_report:
            raise DomainError(
                "phone number already used for a user report",
                ErrorCode.USER_REPORT_TRY_LATER,
            )
        return result.wire()

    return submit


def create_app(
    services: Services, *, submit_report: ReportSubmitter | None = None
) -> falcon.App:
    """Build the enx-redirect app around ``services``."""
    settings = services.settings
    app = base_app(services, surface="enx-redirect", html=True)
    pages = Pages()
    directory = RedirectDirectory(
        services.db,
        services.cache,
        services.secrets,
        settings.redirect.app_cache_ttl,
    )
    regions = settings.redirect.hostname_to_region

    def not_found(req, resp, ex, params):
        # The redirector's 404 is content-negotiated (protocol §1.2).
        pages.error(req, resp, 404)

    app.add_error_handler(falcon.HTTPRouteNotFound, not_found)
    app.add_error_handler(falcon.HTTPNotFound, not_found)

    def cookie_keys() -> list[bytes]:
        with services.db.connection() as conn:
            return services.secrets.keys(conn, "cookie_keys")

    gate = ReportGate(
        domain=settings.codes.enx_redirect_domain,
        dev_mode=settings.dev_mode,
        limiter=services.limiter,
        codec=SessionCodec(cookie_keys, settings.redirect.session_duration),
        clock=services.clock,
    )
    view = ReportView(
        pages,
        services.clock,
        settings.codes.allowed_past_symptom_days,
        gate,
        DynamicTranslations(
            services.db, services.clock, settings.redirect.translation_refresh_period
        ),
    )
    debug_params = settings.dev_mode or settings.redirect.debug_query_params
    app.add_route("/report", ReportResource(view, directory, debug_params))
    app.add_route(
        "/report/issue",
        ReportIssueResource(
            view,
            directory,
            submit_report or default_submitter(services),
            WebhookSender(services.envelope),
        ),
    )
    app.add_route("/robots.txt", RobotsTxt())

    # Sinks added later win, so the catch-all goes first.
    # Falcon tries sinks before static routes: leave /static/ to the files.
    app.add_sink(RedirectLinks(directory, regions, pages), re.compile(r"/(?!static/)"))
    app.add_sink(WellKnownRoot(pages), "/.well-known")
    app.add_sink(
        ios_file(directory, regions), "/.well-known/apple-app-site-association"
    )
    app.add_sink(android_file(directory, regions), "/.well-known/assetlinks.json")
    app.add_static_route("/static", str(STATIC))
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'api.redirect.app:get_app()'``."""
    return create_app(services_from_env("enx-redirect"))
