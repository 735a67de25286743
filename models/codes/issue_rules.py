"""Validation of one issue request before anything is written (protocol §5.1).

``plan_issue`` applies steps 2-13 of the original's pipeline in order and
returns everything the store and delivery steps need; it only reads.
"""

from __future__ import annotations

import datetime as dt
import logging
import string
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from db.crypto import Envelope
from db.keystore import KeyStore
from db.queries.codes import core as code_q
from db.ratelimit import Decision
from db.rows import Realm
from models import audit
from models.codes import core as codes
from models.codes import sms
from models.codes.phone import canonical_phone
from models.errors import DomainError, ErrorCode, Reason
from models.settings import Settings

log = logging.getLogger(__name__)

USER_REPORT = "user-report"


@dataclass(frozen=True)
class IssueRequest:
    """One code request, as the admin API, the UI or a user report sends it."""

    test_type: str = ""
    symptom_date: str = ""
    test_date: str = ""
    tz_offset: float = 0
    phone: str = ""
    sms_template_label: str = ""
    uuid: str = ""
    external_issuer_id: str = ""
    only_generate_sms: bool = False


@dataclass(frozen=True)
class Plan:
    """A validated request: what to store and how to deliver it."""

    test_type: str
    symptom_date: dt.date | None
    test_date: dt.date | None
    phone: str  # E.164 or ""
    template: str  # chosen SMS template ("" without a phone)
    region_code: str
    uuid: str  # trimmed client UUID as given, or ""
    canonical_uuid: str | None
    external_issuer_id: str
    only_generate_sms: bool
    short_ttl: float
    long_ttl: float
    provider: sms.SmsProvider | None
    signer: tuple[str, Callable[[bytes], bytes]] | None

    @property
    def is_user_report(self) -> bool:
        """Say whether this is a user-report code."""
        return self.test_type == USER_REPORT


def check_maintenance(settings: Settings, realm: Realm | None = None) -> None:
    """Refuse writes while the server (or the given realm) is in maintenance."""
    if settings.maintenance_mode or (realm is not None and realm.maintenance_mode):
        raise DomainError(
            "server is read-only for maintenance", ErrorCode.MAINTENANCE_MODE, 429
        )


def _trim_uuid(value: str) -> str:
    return "".join(ch for ch in value if ch in string.printable).strip()


def plan_issue(
    conn: psycopg.Connection,
    *,
    settings: Settings,
    envelope: Envelope,
    keystore: KeyStore,
    realm: Realm,
    request: IssueRequest,
    now: dt.datetime,
    user_initiated: bool,
    auto_user_report_label: bool,
) -> Plan:
    """Validate ``request`` for ``realm``; raise DomainError on the first problem."""
    test_type = (request.test_type or "").lower()
    label = request.sms_template_label
    # Step 2: user reports default to their own template (not in batches).
    if test_type == USER_REPORT and not label and auto_user_report_label:
        label = sms.USER_REPORT_TEMPLATE_LABEL
    if realm.require_date and not request.symptom_date and not request.test_date:
        raise DomainError("missing either test or symptom date", ErrorCode.MISSING_DATE)
    days = settings.codes.allowed_past_symptom_days
    offset = int(request.tz_offset or 0)
    symptom = codes.parse_issue_date("symptom", request.symptom_date, now, days, offset)
    tested = codes.parse_issue_date("test", request.test_date, now, days, offset)
    phone = canonical_phone(request.phone, realm.sms_country) if request.phone else ""
    if request.only_generate_sms and not realm.allow_generated_sms:
        raise DomainError(
            "realm is not permitted to use onlyGenerateSMS",
            ErrorCode.UNPARSABLE_REQUEST,
        )
    if request.only_generate_sms and not phone:
        raise DomainError(
            "generated sms requested, but no phone number was provided",
            ErrorCode.NONE,
        )
    provider = None
    if phone and not request.only_generate_sms:
        try:
            provider = sms.load_provider(conn, envelope, realm)
        except Exception as ex:  # a broken config is our fault, not the caller's
            log.error("cannot load sms config of realm %s: %s", realm.id, ex)
            raise DomainError(
                "failed to load sms configuration", ErrorCode.INTERNAL, 500
            ) from None
        if provider is None:
            raise DomainError(
                "phone provided, but no sms provider is configured",
                ErrorCode.NONE,
                reason=Reason.SMS_NOT_CONFIGURED,
            )
    if len(request.external_issuer_id or "") > 255:
        # The column holds 255 characters; the original fails the insert.
        raise DomainError(
            "failed to generate otp code, please try again", ErrorCode.INTERNAL, 500
        )
    client_uuid = _trim_uuid(request.uuid or "")
    canonical = None
    if client_uuid:
        canonical = codes.validate_uuid(client_uuid)
        if code_q.get_code_by_uuid(conn, realm_id=realm.id, uuid=canonical):
            raise uuid_conflict(client_uuid)
    _check_test_type(realm, test_type, user_initiated)
    if test_type == USER_REPORT and not phone:
        raise DomainError("phone cannot be empty", ErrorCode.MISSING_PHONE)
    short_ttl = float(realm.code_duration)
    # The long code only matters when an SMS carries it (§3.4).
    long_ttl = (
        float(realm.long_code_duration)
        if phone and test_type != USER_REPORT
        else short_ttl
    )
    template = sms.choose_template(realm, label) if phone else ""
    signer = sms.realm_signer(conn, keystore, realm) if phone else None
    return Plan(
        test_type=test_type,
        symptom_date=symptom,
        test_date=tested,
        phone=phone,
        template=template,
        region_code=realm.region_code or "",
        uuid=client_uuid,
        canonical_uuid=canonical,
        external_issuer_id=request.external_issuer_id or "",
        only_generate_sms=request.only_generate_sms,
        short_ttl=short_ttl,
        long_ttl=long_ttl,
        provider=provider,
        signer=signer,
    )


def uuid_conflict(client_uuid: str) -> DomainError:
    """Return the 409 for a client UUID already used in the realm."""
    return DomainError(
        f"code for {client_uuid} already exists", ErrorCode.UUID_ALREADY_EXISTS, 409
    )


def _check_test_type(realm: Realm, test_type: str, user_initiated: bool) -> None:
    # NOTE(admin): compared lower-cased, so "User-Report" cannot bypass the
    # realm's admin user-report switch (the original compared the raw text).
    if test_type == USER_REPORT and not user_initiated:
        if not realm.allow_admin_user_report:
            raise DomainError(
                "unsupported test type: user-report", ErrorCode.UNSUPPORTED_TEST_TYPE
            )
    if test_type not in codes.TEST_TYPE_BITS:
        raise DomainError("invalid test type", ErrorCode.INVALID_TEST_TYPE)
    if not codes.realm_allows(realm, test_type):
        raise DomainError(
            f"unsupported test type: {test_type}", ErrorCode.UNSUPPORTED_TEST_TYPE
        )


@dataclass(frozen=True)
class Issuer:
    """Who issues: an API key, a signed-in user, or a user report."""

    actor: audit.Actor
    app_id: int | None = None
    user_id: int | None = None
    nonce: bytes | None = None  # only for self-initiated user reports

    @classmethod
    def for_api_key(cls, app_id: int, name: str) -> Issuer:
        """Return the issuer for an ADMIN API key."""
        return cls(audit.api_key_actor(app_id, name), app_id=app_id)

    @classmethod
    def for_user(cls, user_id: int, name: str, email: str) -> Issuer:
        """Return the issuer for a signed-in case worker."""
        return cls(audit.user_actor(user_id, name, email), user_id=user_id)

    @classmethod
    def for_user_report(cls, app_id: int, name: str, nonce: bytes) -> Issuer:
        """Return the issuer for a self-initiated report relayed by a device key."""
        return cls(audit.api_key_actor(app_id, name), app_id=app_id, nonce=nonce)

    @property
    def user_initiated(self) -> bool:
        """Say whether a person reported themselves (nonce-bound code)."""
        return self.nonce is not None


@dataclass(frozen=True)
class IssueResult:
    """What an issue returns; ``duplicate_report`` means "silently done"."""

    uuid: str = ""
    code: str = ""
    expires_at: dt.datetime | None = None
    long_expires_at: dt.datetime | None = None
    generated_sms: str = ""
    phone: str = ""
    duplicate_report: bool = False
    quota: Decision | None = None

    def wire(self) -> dict:
        """Return the IssueCodeResponse fields (without ``padding``)."""
        if self.expires_at is None:
            return {"expiresAt": "", "expiresAtTimestamp": 0}
        out = {
            "uuid": self.uuid,
            "code": self.code,
            "expiresAt": rfc1123(self.expires_at),
            "expiresAtTimestamp": int(self.expires_at.timestamp()),
            "longExpiresAt": rfc1123(self.long_expires_at),
            "longExpiresAtTimestamp": int(self.long_expires_at.timestamp()),
        }
        if self.generated_sms:
            out["generatedSMS"] = self.generated_sms
            out["phone"] = self.phone
        return out


def rfc1123(at: dt.datetime) -> str:
    """Format a time as ``Mon, 02 Jan 2006 15:04:05 UTC``."""
    return at.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S UTC")


def batch_wire(results: list) -> tuple[int, dict]:
    """Return (status, body without padding) for batch results (§5.2).

    The status and ``errorCode`` are the first failed item's; every item's
    padding is empty.
    """
    body: dict = {}
    codes, failures = [], [r for r in results if isinstance(r, DomainError)]
    for result in results:
        if isinstance(result, DomainError):
            codes.append(
                {
                    "padding": "",
                    "uuid": "",
                    "code": "",
                    "expiresAt": "",
                    "expiresAtTimestamp": 0,
                    "error": result.message,
                    "errorCode": str(result.code),
                }
            )
        else:
            codes.append({"padding": "", **result.wire()})
    if codes:
        body["codes"] = codes
    if not failures:
        return 200, body
    issued = len(results) - len(failures)
    text = f"Failed to issue {len(failures)} codes."
    if issued:
        text += f" Issued {issued} codes successfully."
    body["error"] = text + "See each error status in the codes array."
    if failures[0].code:
        body["errorCode"] = str(failures[0].code)
    return failures[0].status, body
