"""Factory of the web UI (server)."""

from __future__ import annotations

import atexit
import os
from functools import partial

import falcon

from api.common import health
from api.common.i18n import Catalogues
from api.common.metrics import RequestMetrics, pool_stats_of
from api.common.middleware import (
    ClientAddress,
    MethodOverride,
    RequestId,
    SecurityHeaders,
)
from models.accounts.firebase import FirebaseVerifier
from models.accounts.outbox import MailOutbox
from models.accounts.reset_requests import ResetRequests, client_limiter
from models.codes.expiry import ExpireService
from models.codes.issue import IssueService
from models.services import Services, build_services
from models.settings import Settings, SettingsError
from models.telemetry.logs import configure_from
from ui import chrome, errors
from ui.i18n import load_catalogues
from ui.middleware import Csrf, HttpsRedirect, Identity, RateLimit, SessionCookie
from ui.render import make_lookup
from ui.resources import (
    account,
    admin,
    bulk,
    code_status,
    codes,
    favicon,
    insight,
    jwks,
    manage_account,
    mfa,
    passkeys,
    people,
    realm_settings,
    realms,
    signin,
    webhooks,
)
from ui.web import Pages

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
STATIC = os.path.join(os.path.dirname(__file__), "static")


class StaticCache:
    """Long-lived caching for static files (none in dev mode, to see edits)."""

    def __init__(self, dev_mode: bool):
        self.dev_mode = dev_mode

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Set Cache-Control on ``/static/`` and ``/favicon.ico`` responses."""
        if req.path.startswith("/static/") or req.path == "/favicon.ico":
            resp.cache_control = (
                ["private", "no-cache", "max-age=0"]
                if self.dev_mode
                else ["public", "max-age=604800"]
            )


class Locale:
    """Pick the request's locale (§9): ``lang``, Accept-Language, English."""

    def __init__(self, catalogs: Catalogues):
        self._catalogs = catalogs

    def process_request(self, req, resp) -> None:
        """Store the chosen locale on the request context."""
        locale = self._catalogs.choose(
            req.get_param("lang"), req.get_header("Accept-Language")
        )
        req.context.locale = locale
        # Flashes and form errors raised from Python use the page's language.
        req.context.t = self._catalogs.translator(locale)
        # Only the locale's own words: model refusals keep their English else.
        req.context.translated = partial(self._catalogs.translated, locale)


def _firebase(services: Services) -> FirebaseVerifier | None:
    ui = services.settings.ui
    if ui.auth_provider != "firebase":
        return None
    return FirebaseVerifier(
        ui.firebase_jwks_url, ui.firebase_issuer, ui.firebase_audience
    )


def create_app(services: Services, outbox: MailOutbox | None = None) -> falcon.App:
    """Build the server (web UI) app around ``services``.

    ``outbox`` sends account mails in the background (one per process;
    ``get_app`` drains it at exit).
    """
    settings = services.settings
    if not settings.ui.server_endpoint:
        raise SettingsError(
            "SERVER_ENDPOINT: required for the server surface outside dev mode"
        )
    outbox = outbox or MailOutbox()
    catalogs = load_catalogues()
    pages = Pages(
        make_lookup(),
        catalogs,
        chrome.system_notice_html(settings.ui.system_notice, settings.maintenance_mode),
        features={"emailer": settings.ops.enable_emailer},
    )
    db, clock = services.db, services.clock
    app = falcon.App(
        middleware=[
            # Who the client is (trusted proxies only) before anyone asks.
            ClientAddress(settings.trusted_proxies),
            RequestId(),
            RequestMetrics("server", pool_stats_of(services.db)),
            # Before routing, so forms can say PATCH/DELETE (§0).
            MethodOverride(forms=True),
            # Headers on everything, including redirects and errors.
            SecurityHeaders(
                html=True, dev_mode=settings.dev_mode, csp=CSP, no_store=True
            ),
            StaticCache(settings.dev_mode),
            HttpsRedirect(settings.dev_mode),
            Locale(catalogs),
            # The session must exist before CSRF, identity and the limiter.
            SessionCookie(services),
            Csrf(),
            Identity(services),
            RateLimit(services.limiter),
        ]
    )
    app.req_options.auto_parse_form_urlencoded = False
    errors.install(app, pages)
    firebase = {
        "provider": settings.ui.auth_provider,
        "audience": settings.ui.firebase_audience,
    }
    verifier = _firebase(services)
    provider = settings.ui.auth_provider

    health.install(app, db, settings.maintenance_mode)
    app.add_route(
        "/webhooks/{realm_id:int(min=0)}/twilio",
        webhooks.TwilioWebhook(db, services.envelope, clock),
    )
    app.add_route(
        "/jwks/{realm_id:int(min=0)}",
        jwks.RealmJwks(db, services.keystore, services.cache),
    )
    app.add_route("/", signin.Home(pages, provider, firebase))
    app.add_route(
        "/session",
        signin.SessionCreate(
            pages, db, clock, settings, services.envelope, verifier=verifier
        ),
    )
    app.add_route("/signout", signin.SignOut(db, clock))
    resets = ResetRequests(services, outbox, client_limiter(services))
    app.add_route(
        "/login/reset-password", manage_account.ResetPassword(pages, clock, resets)
    )
    app.add_route(
        "/login/manage-account",
        manage_account.ManageAccount(pages, db, clock, settings, services.envelope),
    )
    app.add_route("/login", signin.Reauth(pages, provider, firebase))
    app.add_route("/login/select-realm", realms.SelectRealm(pages))
    app.add_route("/login/post-authenticate", realms.PostAuthenticate())
    app.add_route("/account", account.Account(pages, db, clock))
    app.add_route(
        "/login/change-password", account.ChangePassword(pages, db, clock, settings)
    )
    app.add_route(
        "/login/register-phone", mfa.RegisterFactor(pages, db, clock, services.envelope)
    )

    # The issuing use case is shared with the admin API (models.codes.issue).
    issue_service = IssueService(services)
    issue = codes.IssueCode(pages, db, services.envelope, settings, issue_service)
    status = code_status.CodeStatus(pages, db, clock, ExpireService(db, clock))
    app.add_route("/codes", codes.CodesIndex())
    app.add_route("/codes/issue", issue)
    app.add_route("/codes/bulk-issue", bulk.BulkIssue(pages, db, services.envelope))
    app.add_route("/codes/batch-issue", bulk.BatchIssue(issue_service))
    app.add_route("/codes/status", status)
    app.add_route("/codes/{code_uuid}", status, suffix="code")
    app.add_route("/codes/{code_uuid}/expire", status, suffix="expire")
    insight.register(app, services, pages)
    admin.register(app, services, pages)
    realm_settings.register(app, services, pages)
    people.register(app, services, pages)
    passkeys.register(app, services, pages)
    app.add_static_route("/static", STATIC)
    favicon.register(app)
    return app


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'ui.app:get_app()'``."""
    configure_from(os.environ, "server")
    services = build_services(Settings.from_env(os.environ, "server"), name="server")
    atexit.register(services.close)
    outbox = MailOutbox()
    # Registered last so it runs first: queued mails still have their pool.
    atexit.register(outbox.close)
    return create_app(services, outbox)
