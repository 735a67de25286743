"""Self-initiated user reports (protocol §4.3, §8): check, then issue by SMS.

The checks the device API owns (realm switch, nonce, phone) run first; the
code itself goes through the one issuing pipeline (``models.codes.issue``) with
test type ``user-report``, the ``User Report`` template and the nonce, so
quota, phone de-duplication, SMS delivery and rollback on a failed SMS are
the same as for every other code.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass

from db.rows import Realm
from models.codes.core import realm_allows
from models.codes.issue import Issuer, IssueRequest, IssueService
from models.codes.issue_rules import USER_REPORT
from models.codes.sms import USER_REPORT_TEMPLATE_LABEL
from models.codes.verify import decode_nonce
from models.errors import DomainError, ErrorCode

NONCE_BYTES = 256


@dataclass(frozen=True)
class UserReportRequest:
    """A bound ``/api/user-report`` body (``tzOffset`` is accepted, not used)."""

    symptom_date: str = ""
    test_date: str = ""
    phone: str = ""
    nonce: str = ""


@dataclass(frozen=True)
class UserReportResult:
    """When the sent code expires; None when the phone had already reported."""

    expires_at: dt.datetime | None


def check_request(realm: Realm, request: UserReportRequest) -> bytes:
    """Apply steps 3-6 of protocol §4.3 and return the decoded nonce."""
    if not realm_allows(realm, USER_REPORT):
        raise DomainError(
            "user initiated report is not enabled", ErrorCode.UNSUPPORTED_TEST_TYPE
        )
    nonce = decode_nonce(request.nonce)
    if not nonce:
        raise DomainError("nonce cannot be empty", ErrorCode.MISSING_NONCE)
    # NOTE(device): design.md §2 - a nonce of the wrong size is refused here
    # instead of the original's silent 200 without an SMS.
    if len(nonce) != NONCE_BYTES:
        raise DomainError(
            f"nonce must be {NONCE_BYTES} bytes, got {len(nonce)}",
            ErrorCode.MISSING_NONCE,
        )
    if not request.phone:
        raise DomainError("phone cannot be empty", ErrorCode.MISSING_PHONE)
    return nonce


class UserReports:
    """The user-report use case over the shared issuing service."""

    def __init__(self, issuer: Callable[[], IssueService]):
        # Built on first use: the issuing service reads the database when it
        # is constructed, and an app factory must not.
        self._make_issuer = issuer
        self._issuer: IssueService | None = None
        self._lock = threading.Lock()

    def _issuing(self) -> IssueService:
        with self._lock:
            if self._issuer is None:
                self._issuer = self._make_issuer()
            return self._issuer

    def report(
        self, realm: Realm, app_id: int, app_name: str, request: UserReportRequest
    ) -> UserReportResult:
        """Check the request, then issue and text a nonce-bound code."""
        nonce = check_request(realm, request)
        result = self._issuing().issue(
            realm,
            Issuer.for_user_report(app_id, app_name, nonce),
            # [PARITY] tzOffset is not forwarded: dates are judged at UTC.
            IssueRequest(
                test_type=USER_REPORT,
                symptom_date=request.symptom_date,
                test_date=request.test_date,
                phone=request.phone,
                sms_template_label=USER_REPORT_TEMPLATE_LABEL,
            ),
        )
        if result.duplicate_report:
            return UserReportResult(None)
        return UserReportResult(result.expires_at)
