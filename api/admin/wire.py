"""Wire pieces shared by the admin API resources: padding, binding, quota."""

from __future__ import annotations

import base64
import secrets

import falcon

from api.common.auth import rfc1123
from api.common.binding import ANY, BOOL, NUMBER, STRING, BindError, bind
from db.ratelimit import Decision
from models.errors import DomainError, ErrorCode
from models.issue import IssueRequest

ISSUE_FIELDS = {
    "symptomDate": STRING,
    "testDate": STRING,
    "testType": STRING,
    "tzOffset": NUMBER,
    "phone": STRING,
    "smsTemplateLabel": STRING,
    "uuid": STRING,
    "externalIssuerID": STRING,
    "onlyGenerateSMS": BOOL,
    "padding": ANY,
}
UUID_FIELDS = {"uuid": STRING, "padding": ANY}


def padding() -> str:
    """Return base64 of 1024-2047 random bytes (protocol §1.3)."""
    return base64.b64encode(
        secrets.token_bytes(1024 + secrets.randbelow(1024))
    ).decode()


def bind_or_400(
    req: falcon.Request, fields: dict, code: ErrorCode = ErrorCode.UNPARSABLE_REQUEST
) -> dict:
    """Bind the body; a binding failure is a 400 with ``code``."""
    try:
        return bind(req, fields)
    except BindError as ex:
        raise DomainError(str(ex), code) from None


def issue_request(body: dict) -> IssueRequest:
    """Map bound IssueCodeRequest fields onto the use case's request."""
    return IssueRequest(
        test_type=body.get("testType") or "",
        symptom_date=body.get("symptomDate") or "",
        test_date=body.get("testDate") or "",
        tz_offset=body.get("tzOffset") or 0,
        phone=body.get("phone") or "",
        sms_template_label=body.get("smsTemplateLabel") or "",
        uuid=body.get("uuid") or "",
        external_issuer_id=body.get("externalIssuerID") or "",
        only_generate_sms=bool(body.get("onlyGenerateSMS")),
    )


def set_quota_headers(resp: falcon.Response, decision: Decision | None) -> None:
    """Tell the caller how much of the realm's daily quota is left."""
    if decision is None:
        return
    resp.set_header("X-Quota-Limit", str(decision.limit))
    resp.set_header("X-Quota-Remaining", str(decision.remaining))
    resp.set_header("X-Quota-Reset", rfc1123(decision.reset))
