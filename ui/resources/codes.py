"""``/codes/issue``: the single-code page and its JSON endpoint."""

from __future__ import annotations

import falcon

from models.accounts.rbac import Permission
from models.codes import core as codes
from models.codes import issuance
from models.codes.issue import Issuer, IssueResult
from models.codes.issue_rules import IssueRequest
from models.errors import DomainError
from ui.guards import requires
from ui.refusals import domain_error_text
from ui.richtext import markdown_html
from ui.web import redirect


def request_from_json(body: dict) -> IssueRequest:
    """Map the page's JSON fields onto the shared issue request."""
    try:
        tz_offset = float(body.get("tzOffset") or 0)
    except (TypeError, ValueError):
        tz_offset = 0
    return IssueRequest(
        test_type=str(body.get("testType") or ""),
        test_date=str(body.get("testDate") or ""),
        symptom_date=str(body.get("symptomDate") or ""),
        phone=str(body.get("phone") or ""),
        sms_template_label=str(body.get("smsTemplateLabel") or ""),
        tz_offset=tz_offset,
        uuid=str(body.get("uuid") or ""),
    )


def issuer(req: falcon.Request) -> Issuer:
    """Return the signed-in case worker as the issuer."""
    user = req.context.user
    return Issuer.for_user(user.id, user.name, user.email)


def issued_json(result: IssueResult, padding: str = "") -> dict:
    """Return the wire shape of an issued code (§5.1)."""
    return {**result.wire(), "padding": padding}


def error_json(req: falcon.Request, ex: DomainError) -> dict:
    """Return a refused code: text in the page's language, errorCode unchanged."""
    text = domain_error_text(req.context, ex)
    return {"error": text, "errorCode": str(ex.code)}


def json_body(req: falcon.Request) -> dict:
    """Return a JSON object body (§0: JSON only, at most 64,000 bytes)."""
    if not (req.content_type or "").startswith(falcon.MEDIA_JSON):
        raise falcon.HTTPUnsupportedMediaType(description="expected application/json")
    if (req.content_length or 0) > 64_000:
        raise falcon.HTTPContentTooLarge(description="request body too large")
    body = req.get_media(default_when_empty={})
    if not isinstance(body, dict):
        raise falcon.HTTPBadRequest(description="expected a JSON object")
    return body


class CodesIndex:
    """``GET /codes``: the issue page is the front door."""

    def on_get(self, req, resp):
        """Redirect to ``/codes/issue``."""
        raise redirect("/codes/issue")


class IssueCode:
    """Issue one code for the person on the phone."""

    def __init__(self, pages, db, envelope, settings, issue_service):
        self._pages = pages
        self._db = db
        self._envelope = envelope
        self._settings = settings
        self._issue = issue_service

    @requires(Permission.CODE_ISSUE)
    def on_get(self, req, resp):
        """Render the issue form with the realm's test types and date bounds."""
        ctx = req.context
        realm = ctx.realm
        lowest, highest = codes.date_window(
            ctx.now, self._settings.codes.allowed_past_symptom_days
        )
        welcome = None
        if realm.welcome_message and not ctx.session.data.get("welcome"):
            ctx.session.data["welcome"] = True
            welcome = markdown_html(realm.welcome_message)
        with self._db.connection() as conn:
            has_sms = issuance.sms_available(conn, self._envelope, realm)
        self._pages.render(
            req,
            resp,
            "codes/issue.mako",
            title=req.context.t("codes.issue.title"),
            test_types=[
                t for t in issuance.UI_TEST_TYPES if codes.realm_allows(realm, t)
            ],
            min_date=lowest.isoformat(),
            max_date=highest.isoformat(),
            welcome=welcome,
            has_sms=has_sms,
            templates=sorted((realm.alternate_sms_templates or {}).keys()),
        )

    @requires(Permission.CODE_ISSUE)
    def on_post(self, req, resp):
        """Issue a code from the page's JSON request."""
        body = json_body(req)
        try:
            result = self._issue.issue(
                req.context.realm, issuer(req), request_from_json(body)
            )
        except DomainError as ex:
            resp.status = ex.status
            resp.media = error_json(req, ex)
            return
        resp.media = issued_json(result, str(body.get("padding") or ""))
