"""Wire pieces shared by the admin API resources: padding, binding, quota."""

from __future__ import annotations

import falcon

from api.common.auth import rfc1123
from api.common.binding import ANY, BOOL, NUMBER, text
from api.common.wire import bind_or_400, padding
from db.ratelimit import Decision
from models.codes.issue import Issuer, IssueRequest

# Lengths: the column's size where the value is stored (issuing_external_id
# is varchar(255)), otherwise far above any valid value (a date is 10
# characters, a UUID 36, a phone number at most 15 digits plus formatting).
ISSUE_FIELDS = {
    "symptomDate": text(64),
    "testDate": text(64),
    "testType": text(64),
    "tzOffset": NUMBER,
    "phone": text(64),
    "smsTemplateLabel": text(255),
    "uuid": text(64),
    "externalIssuerID": text(255),
    "onlyGenerateSMS": BOOL,
    "padding": ANY,
}
UUID_FIELDS = {"uuid": text(64), "padding": ANY}

__all__ = ["ISSUE_FIELDS", "UUID_FIELDS", "bind_or_400", "issue_request", "padding"]
__all__ += ["check_key_before_effects", "key_issuer"]


def check_key_before_effects(
    req: falcon.Request, requests: list[IssueRequest]
) -> None:
    """Check the cached API key now if quota or SMS would act before the insert.

    The issue insert checks a cached key itself (and writes nothing for a
    changed one), but a realm's quota is spent and an SMS is sent before it:
    a disabled key must not get that far.
    """
    if req.context.realm.abuse_prevention_enabled or any(r.phone for r in requests):
        req.context.confirm_api_key()


def key_issuer(req: falcon.Request) -> Issuer:
    """Return the issuer of the request's API key (as it stands after a refresh)."""
    app = req.context.app
    return Issuer.for_api_key(app.id, app.name)


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
