"""``/report`` and ``/report/issue``: the user-report web view (protocol §8.5).

An app opens ``/report`` in a web view with its DEVICE API key and the
256-byte nonce in headers; the nonce and the realm's region go into the
``en-user-report`` session, and the form posts to ``/report/issue``, which
submits the report through an injected callable. The original had no CSRF
check on the form; we add one bound to the session.
"""

from __future__ import annotations

import binascii
import datetime as dt
import logging
from collections.abc import Callable

import falcon

from api.common.i18n import DEFAULT_LOCALE, N_, LocaleMatcher
from api.redirect.guards import ReportGate
from api.redirect.pages import Pages
from api.redirect.session import csrf_matches, mask_csrf, new_csrf_token
from api.redirect.webhook import WebhookFailed, WebhookSender
from db.rows import Realm
from models.clock import Clock
from models.codes.core import realm_allows
from models.crypto import tolerant_b64decode
from models.errors import DomainError, ErrorCode
from models.redirect.directory import RedirectDirectory
from models.redirect.rules import WebReport, is_ios
from models.redirect.translations import DynamicTranslations

log = logging.getLogger(__name__)

NONCE_LENGTH = 256
# Submits a report; returns the issue response (a JSON-ready dict) when
# ``only_generate_sms`` is set, and raises DomainError on failure.
ReportSubmitter = Callable[[Realm, WebReport], dict | None]

# Errors the person can fix: (message id, form field or "" for the summary).
_FIXABLE = {
    ErrorCode.INVALID_DATE: (N_("report.error-invalid-date"), "testDate"),
    ErrorCode.MISSING_DATE: (N_("report.error-invalid-date"), "testDate"),
    ErrorCode.MISSING_PHONE: (N_("report.error-missing-phone"), "phone"),
    ErrorCode.PHONE_NUMBER_INVALID: (N_("report.error-invalid-phone"), "phone"),
    ErrorCode.SMS_FAILURE: (N_("report.error-sms"), "phone"),
    ErrorCode.SMS_QUEUE_FULL: (N_("report.error-sms"), ""),
    ErrorCode.QUOTA_EXCEEDED: (N_("report.quota-exceeded"), ""),
}


def _decode_nonce(text: str) -> bytes | None:
    try:
        nonce = tolerant_b64decode(text)
    except (binascii.Error, ValueError):
        return None
    return nonce if len(nonce) == NONCE_LENGTH else None


def _truthy(value: object) -> bool:
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).strip().lower() in {"true", "1", "on", "yes"}


def _field(form: dict, name: str) -> str:
    value = form.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value).strip()


class ReportView:
    """Shared rendering of the report form."""

    def __init__(
        self,
        pages: Pages,
        clock: Clock,
        allowed_days: int,
        gate: ReportGate,
        translations: DynamicTranslations | None = None,
    ):
        self.pages = pages
        self.clock = clock
        self.allowed_days = allowed_days
        self.gate = gate
        self.translations = translations

    def guarded(self, req: falcon.Request, resp: falcon.Response, handler) -> None:
        """Check host and rate limit, then run ``handler(req, resp, session)``."""
        if not self.gate.host_allowed(req):
            self.pages.error(req, resp, 401)
            return
        session = self.gate.load_session(req)
        try:
            if not self.gate.rate_limited(req, resp):
                handler(req, resp, session)
        finally:
            # Saved on every response, as the original's session store does.
            self.gate.save_session(resp, session)

    def locale(self, req: falcon.Request, realm: Realm | None) -> str:
        """Return the page locale (§9: ``lang``, Accept-Language, English)."""
        return self.pages.locale_for(req)

    def realm_texts(self, req: falcon.Request, realm: Realm) -> dict[str, str]:
        """Return the realm's synced texts for this request (§5.12), if any."""
        texts = self.translations.realm(realm.id) if self.translations else {}
        if not texts:
            return {}
        # Locales are two-letter there; no request match -> the realm default.
        found = LocaleMatcher(texts).choose(
            req.get_param("lang"), req.get_header("Accept-Language")
        )
        if found is None:
            default = (realm.default_locale or DEFAULT_LOCALE).lower()
            found = default if default in texts else default[:2]
        return texts.get(found, {})

    def render(self, req, resp, template: str, realm: Realm, status: int = 200, **ctx):
        """Render a web-view page with the realm's dynamic texts."""
        self.pages.render(
            resp,
            template,
            self.locale(req, realm),
            status,
            realm=realm,
            realm_texts=self.realm_texts(req, realm),
            **ctx,
        )

    def form(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        session: dict,
        realm: Realm,
        *,
        errors: list[str] = (),
        field_errors: dict | None = None,
        values: dict | None = None,
        skip_form: bool = False,
        status: int = 200,
    ) -> None:
        """Render the form (or only its messages when ``skip_form``)."""
        today = self.clock.now().astimezone(dt.UTC).date()
        token = session.setdefault("csrf", new_csrf_token())
        lang = req.get_param("lang") or ""
        self.render(
            req,
            resp,
            "report/index.mako",
            realm,
            status,
            errors=list(errors),
            field_errors=field_errors or {},
            form={"testDate": "", "phone": "", "agreement": False, **(values or {})},
            skip_form=skip_form,
            csrf_token=mask_csrf(token),
            min_date=today - dt.timedelta(days=self.allowed_days),
            max_date=today,
            duration=max(60, realm.code_duration),
            lang_query=f"?lang={lang}" if lang else "",
        )


class ReportResource:
    """``GET|POST /report``: check the app's key and nonce, show the form."""

    def __init__(
        self, view: ReportView, directory: RedirectDirectory, debug_params: bool
    ):
        self._view = view
        self._directory = directory
        self._debug_params = debug_params

    def _credential(self, req: falcon.Request, header: str, param: str) -> str:
        value = req.get_header(header) or ""
        if not value and self._debug_params:
            value = req.get_param(param) or ""
        return value.strip()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Show the form for a valid key and nonce."""
        self._view.guarded(req, resp, self._index)

    on_post = on_get

    def _index(self, req, resp, session: dict) -> None:
        pages = self._view.pages
        found = self._directory.device_key(self._credential(req, "X-API-Key", "apikey"))
        if found is None:
            pages.error(req, resp, 401)
            return
        app, realm = found
        session["app"] = [app.id, app.name]
        nonce_text = self._credential(req, "X-Nonce", "nonce")
        if not (
            realm_allows(realm, "user-report") and realm.allow_user_report_web_view
        ):
            pages.error(req, resp, 404, self._view.locale(req, realm))
            return
        self._show(req, resp, session, realm, nonce_text)

    def _show(self, req, resp, session: dict, realm: Realm, nonce_text: str) -> None:
        if not nonce_text:
            # A 200 page: apps read it as "try again later", not as a failure.
            self._view.render(req, resp, "report/invalid.mako", realm)
            return
        if _decode_nonce(nonce_text) is None:
            session.pop("nonce", None)
            t = self._view.pages.translator(self._view.locale(req, realm))
            message = t("report.invalid-request")
            self._view.form(req, resp, session, realm, errors=[message], skip_form=True)
            return
        session["nonce"] = nonce_text
        session["region"] = realm.region_code or ""
        self._view.form(req, resp, session, realm)


class ReportIssueResource:
    """``POST /report/issue``: submit the form with the session's nonce."""

    def __init__(
        self,
        view: ReportView,
        directory: RedirectDirectory,
        submit: ReportSubmitter,
        webhook: WebhookSender,
    ):
        self._view = view
        self._directory = directory
        self._submit = submit
        self._webhook = webhook

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Issue the code, or re-render the form with what to fix."""
        self._view.guarded(req, resp, self._session_realm)

    def _session_realm(self, req, resp, session: dict) -> None:
        region = session.get("region") or ""
        realm = self._directory.realm_for_region(region) if region else None
        if realm is None or not realm_allows(realm, "user-report"):
            self._view.pages.error(req, resp, 404)
            return
        self._issue(req, resp, session, realm)

    def _issue(self, req, resp, session: dict, realm: Realm) -> None:
        view = self._view
        locale = view.locale(req, realm)
        try:
            form = req.get_media()
        except falcon.HTTPError:
            view.pages.error(req, resp, 422, locale)
            return
        if not isinstance(form, dict):
            view.pages.error(req, resp, 422, locale)
            return
        nonce = _decode_nonce(session.get("nonce") or "")
        if nonce is None:
            view.pages.error(req, resp, 404, locale)
            return
        if not csrf_matches(session.get("csrf", ""), _field(form, "csrf_token")):
            view.pages.error(req, resp, 401, locale)
            return
        values = {
            "testDate": _field(form, "testDate"),
            "phone": _field(form, "phone"),
            "agreement": _truthy(form.get("agreement", "")),
        }
        t = view.pages.translator(locale)
        if not values["agreement"]:
            message = t("report.missing-agreement")
            view.form(
                req,
                resp,
                session,
                realm,
                errors=[message],
                field_errors={"agreement": message},
                values=values,
            )
            return
        app_id, app_name = session.get("app") or (0, "")
        report = WebReport(
            realm_id=realm.id,
            app_id=app_id,
            app_name=app_name,
            phone=values["phone"],
            test_date=values["testDate"],
            symptom_date="",
            nonce=nonce,
            language=locale,
            only_generate_sms=bool(realm.user_report_webhook_url),
        )
        try:
            issued = self._submit(realm, report)
        except DomainError as ex:
            if ex.code != ErrorCode.USER_REPORT_TRY_LATER:
                self._failed(req, resp, session, realm, locale, values, ex)
                return
            # Already reported: answer as a success so numbers cannot be probed.
            issued = None
        if issued is not None and report.only_generate_sms:
            try:
                self._webhook.send(realm, issued)
            except WebhookFailed as ex:
                # The code stays issued and the nonce stays in the session.
                log.error("user-report webhook of realm %s failed: %s", realm.id, ex)
                errors = [t("report.internal-error")]
                view.form(req, resp, session, realm, errors=errors, values=values)
                return
        session.pop("nonce", None)
        view.render(
            req,
            resp,
            "report/issue.mako",
            realm,
            ios=is_ios(req.get_header("User-Agent") or ""),
        )

    def _failed(self, req, resp, session, realm, locale, values, ex: DomainError):
        view, t = self._view, self._view.pages.translator(locale)
        fixable = _FIXABLE.get(ex.code)
        if fixable is None:
            log.error("user report failed: %s (%s)", ex.message, ex.code)
            errors = [t("report.internal-error")]
            view.form(req, resp, session, realm, errors=errors, skip_form=True)
            return
        message_id, field = fixable
        errors = [t(message_id)]
        if ex.code == ErrorCode.INVALID_DATE:
            errors.append(ex.message)  # the English detail names the allowed range
        view.form(
            req,
            resp,
            session,
            realm,
            errors=errors,
            field_errors={field: errors[0]} if field else {},
            values=values,
        )
