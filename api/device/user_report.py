"""``POST /api/user-report``: a self-report whose code is sent by SMS (§4.3)."""

from __future__ import annotations

import falcon

from api.common.auth import rfc1123
from api.common.binding import ANY, NUMBER, text
from api.common.errors import internal_error, log_hidden_error
from api.common.wire import bind_or_400, padding
from models.codes.user_report import UserReportRequest, UserReports
from models.codes.verify import ensure_not_in_maintenance
from models.errors import DomainError, ErrorCode
from models.realms.apikeys import KeyType

FIELDS = {
    "symptomDate": text(64),
    "testDate": text(64),
    "tzOffset": NUMBER,
    "phone": text(64),
    "nonce": text(1024),
    "padding": ANY,
}


class UserReportResource:
    """Issue a user-report code for a phone (silently once per phone)."""

    api_key_types = frozenset({KeyType.DEVICE})

    def __init__(self, reports: UserReports, maintenance: bool, dev_mode: bool):
        self._reports = reports
        self._maintenance = maintenance
        self._dev_mode = dev_mode

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Check, issue and answer with the short-code expiry."""
        ensure_not_in_maintenance(self._maintenance)
        body = bind_or_400(req, FIELDS, ErrorCode.UNPARSABLE_REQUEST)
        request = UserReportRequest(
            symptom_date=body.get("symptomDate") or "",
            test_date=body.get("testDate") or "",
            phone=body.get("phone") or "",
            nonce=body.get("nonce") or "",
        )
        app = req.context.app
        try:
            result = self._reports.report(req.context.realm, app.id, app.name, request)
        except DomainError as ex:
            if ex.status != 500:
                raise
            log_hidden_error(req, ex.message)
            internal_error(req, resp)
            return
        expires = result.expires_at
        # A phone that already reported gets the same 200 with nothing in it,
        # so the endpoint cannot be used to probe who reported.
        resp.media = {
            "padding": padding(),
            "expiresAt": rfc1123(expires.timestamp()) if expires else "",
            "expiresAtTimestamp": int(expires.timestamp()) if expires else 0,
        }
