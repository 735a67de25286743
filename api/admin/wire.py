"""Wire pieces shared by the admin API resources: padding, binding, quota."""

from __future__ import annotations

import falcon

from api.common.auth import rfc1123
from api.common.binding import ANY, BOOL, NUMBER, STRING
from api.common.wire import bind_or_400, padding
from db.ratelimit import Decision
from models.codes.issue import IssueRequest

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

__all__ = ["ISSUE_FIELDS", "UUID_FIELDS", "bind_or_400", "issue_request", "padding"]


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
