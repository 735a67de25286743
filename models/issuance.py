"""Issuing codes for a signed-in case worker (single and batch, §5.1).

NOTE(ui): built on ``models.codes`` (storage, dates, UUIDs, expiry). SMS
delivery and quotas belong to the admin-API work and were not on main when
this was written, so a phone number is validated and normalised here but no
SMS is sent; see ``sms_available``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import phonenumbers
import psycopg

from db.queries import issuance as issue_q
from db.rows import Realm, User
from models import audit, codes
from models.errors import DomainError, ErrorCode
from models.secrets import Secrets
from models.settings import Settings

BATCH_LIMIT = 10
UI_TEST_TYPES = ("confirmed", "likely", "negative")


@dataclass(frozen=True)
class IssueRequest:
    """One code request as the issue page or a CSV row sends it."""

    test_type: str = "confirmed"
    test_date: str = ""
    symptom_date: str = ""
    phone: str = ""
    sms_template_label: str = ""
    tz_offset: float = 0
    uuid: str = ""


def sms_available(conn: psycopg.Connection, realm: Realm) -> bool:
    """Say whether the realm has an SMS configuration (own or system)."""
    return issue_q.realm_has_sms(conn, realm.id, realm.use_system_sms_config)


def normalise_phone(phone: str, country: str | None) -> str:
    """Return ``phone`` in E.164 using the realm's SMS country as default."""
    try:
        parsed = phonenumbers.parse(phone, (country or "US").upper())
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise DomainError("phone number is invalid", ErrorCode.PHONE_NUMBER_INVALID)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _validate(settings: Settings, realm: Realm, req: IssueRequest, now: dt.datetime):
    if settings.maintenance_mode or realm.maintenance_mode:
        raise DomainError(
            "issuing codes is disabled during maintenance",
            ErrorCode.MAINTENANCE_MODE,
            429,
        )
    test_type = (req.test_type or "confirmed").lower()
    if test_type not in UI_TEST_TYPES:
        raise DomainError(
            f"invalid test type: {test_type}", ErrorCode.INVALID_TEST_TYPE
        )
    if not codes.realm_allows(realm, test_type):
        raise DomainError(
            f"unsupported test type: {test_type}", ErrorCode.UNSUPPORTED_TEST_TYPE
        )
    days = settings.codes.allowed_past_symptom_days
    symptom = codes.parse_issue_date(
        "symptom", req.symptom_date, now, days, req.tz_offset
    )
    test = codes.parse_issue_date("test", req.test_date, now, days, req.tz_offset)
    if realm.require_date and symptom is None and test is None:
        raise DomainError("missing either test or symptom date", ErrorCode.MISSING_DATE)
    return test_type, symptom, test


def issue(
    conn: psycopg.Connection,
    secrets: Secrets,
    settings: Settings,
    *,
    realm: Realm,
    user: User,
    request: IssueRequest,
    now: dt.datetime,
    bulk: bool = False,
) -> codes.IssuedCode:
    """Validate and store one code issued by ``user``; return it with plaintext."""
    test_type, symptom, test = _validate(settings, realm, request, now)
    if request.phone:
        normalise_phone(request.phone, realm.sms_country)
        # A single issue with a phone promises an SMS we cannot send (yet).
        if not bulk and not sms_available(conn, realm):
            raise DomainError(
                "phone number provided but SMS is not configured for this realm",
                ErrorCode.NONE,
                400,
            )
    elif bulk:
        raise DomainError("phone number missing", ErrorCode.MISSING_PHONE)
    uuid = codes.validate_uuid(request.uuid) if request.uuid else None
    # No SMS carries the long code, so it lives exactly as long as the short one.
    new = codes.NewCode(
        realm_id=realm.id,
        test_type=test_type,
        symptom_date=symptom,
        test_date=test,
        short_length=realm.code_length,
        long_length=realm.long_code_length,
        short_ttl=realm.code_duration,
        long_ttl=realm.code_duration,
        uuid=uuid,
        issuing_user_id=user.id,
    )
    with conn.transaction():
        issued = codes.insert_code(
            conn,
            secrets,
            new,
            now,
            retries=settings.codes.collision_retry_count,
        )
        issue_q.count_issue(conn, realm_id=realm.id, user_id=user.id, day=now.date())
    return issued


def issue_batch(
    conn: psycopg.Connection,
    secrets: Secrets,
    settings: Settings,
    *,
    realm: Realm,
    user: User,
    requests: list[IssueRequest],
    now: dt.datetime,
) -> list[codes.IssuedCode | DomainError]:
    """Issue each request on its own; one bad row never spoils the others."""
    if settings.maintenance_mode or realm.maintenance_mode:
        raise DomainError(
            "issuing codes is disabled during maintenance",
            ErrorCode.MAINTENANCE_MODE,
            429,
        )
    if not realm.allow_bulk_upload:
        raise DomainError("bulk issuing is not enabled on this realm", ErrorCode.NONE)
    if len(requests) > BATCH_LIMIT:
        raise DomainError(f"batch size limit [{BATCH_LIMIT}] exceeded", ErrorCode.NONE)
    results: list[codes.IssuedCode | DomainError] = []
    for request in requests:
        try:
            results.append(
                issue(
                    conn,
                    secrets,
                    settings,
                    realm=realm,
                    user=user,
                    request=request,
                    now=now,
                    bulk=True,
                )
            )
        except DomainError as ex:
            results.append(ex)
    return results


def recent(conn: psycopg.Connection, realm_id: int, user_id: int):
    """Return the five codes the user issued most recently in the realm."""
    return issue_q.list_recent_by_user(conn, realm_id=realm_id, user_id=user_id)


def issuer_names(conn: psycopg.Connection, row) -> tuple[str | None, str | None]:
    """Return the names of the user and the app that issued a code."""
    return issue_q.issuer_names(
        conn, user_id=row.issuing_user_id, app_id=row.issuing_app_id
    )


def expire(
    conn: psycopg.Connection,
    *,
    realm: Realm,
    user: User,
    code_uuid: str,
    now: dt.datetime,
):
    """Expire a code now and audit it; return the row afterwards."""
    with conn.transaction():
        before = codes.code_status(conn, realm.id, code_uuid)
        after = codes.expire_code(conn, realm.id, code_uuid, now)
        if after.expires_at != before.expires_at:
            audit.record(
                conn,
                realm_id=realm.id,
                actor=audit.user_actor(user.id, user.name, user.email),
                action="expired verification code",
                target_id=f"verification_codes:{after.id}",
                target_display=str(after.uuid),
                diff=f"expires_at: {before.expires_at.isoformat()} -> "
                f"{after.expires_at.isoformat()}",
            )
    return after
