"""Verification codes: test types, generation, sealed storage, dates (protocol §3).

This is the shared core under every issuing path (admin API, web UI, user
reports) and the verify path. Codes are only ever stored as HMACs.
"""

from __future__ import annotations

import datetime as dt
import secrets as pysecrets
import time
import uuid as uuidlib
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from db.queries.codes import core as q
from db.rows import Realm
from models.errors import DomainError, ErrorCode, Reason
from models.secrets import Secrets

CODE_HMAC = "verification_code_database_hmac"

TEST_TYPE_BITS: dict[str, int] = {
    "confirmed": 2,
    "likely": 4,
    "negative": 8,
    "user-report": 16,
}
ALL_TEST_TYPES = frozenset(TEST_TYPE_BITS)

# accept-list expansion (protocol §4.1): each entry admits itself and the
# types an older client already understood.
_ACCEPT_EXPANSION: dict[str, frozenset[str]] = {
    "confirmed": frozenset({"confirmed"}),
    "likely": frozenset({"confirmed", "likely"}),
    "negative": frozenset({"confirmed", "likely", "negative"}),
    "user-report": frozenset({"confirmed", "user-report"}),
}

_LONG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def expand_accept(accept: list[str] | None) -> frozenset[str]:
    """Return the test types a client accepts; raise on unknown entries."""
    if not accept:
        return ALL_TEST_TYPES
    result: set[str] = set()
    for entry in accept:
        lowered = (entry or "").lower()
        if lowered not in _ACCEPT_EXPANSION:
            raise DomainError(
                f"invalid accepted test type: {lowered}", ErrorCode.INVALID_TEST_TYPE
            )
        result |= _ACCEPT_EXPANSION[lowered]
    return frozenset(result)


def realm_allows(realm: Realm, test_type: str) -> bool:
    """Say whether the realm may issue codes of ``test_type``."""
    return bool(realm.allowed_test_types & TEST_TYPE_BITS.get(test_type, 0))


def generate_short_code(
    length: int, randbelow: Callable[[int], int] = pysecrets.randbelow
) -> str:
    """Return ``length`` uniformly random decimal digits."""
    return str(randbelow(10**length)).zfill(length)


def generate_long_code(
    length: int, randbelow: Callable[[int], int] = pysecrets.randbelow
) -> str:
    """Return ``length`` uniformly random characters from ``[a-z0-9]``.

    One draw below 36**length, written in base 36: as uniform as a draw per
    character, at a twentieth of the cost (one call into the OS's random
    source instead of ``length``).
    """
    value = randbelow(len(_LONG_ALPHABET) ** length)
    chars = []
    for _ in range(length):
        value, digit = divmod(value, len(_LONG_ALPHABET))
        chars.append(_LONG_ALPHABET[digit])
    return "".join(chars)


@dataclass(frozen=True)
class NewCode:
    """What to store for one code (dates are calendar dates)."""

    realm_id: int
    test_type: str
    symptom_date: dt.date | None
    test_date: dt.date | None
    short_length: int
    long_length: int
    short_ttl: float  # seconds
    long_ttl: float  # seconds; equal to short_ttl when no SMS carries the long code
    uuid: str | None = None
    issuing_user_id: int | None = None
    issuing_app_id: int | None = None
    issuing_external_id: str = ""
    user_report_id: int | None = None


@dataclass(frozen=True)
class IssuedCode:
    """A stored code with its plaintext (only ever returned once)."""

    id: int
    uuid: str
    code: str
    long_code: str
    expires_at: dt.datetime
    long_expires_at: dt.datetime
    test_type: str


def validate_uuid(value: str) -> str:
    """Return a canonical lower-case UUID or raise unparsable_request."""
    try:
        return str(uuidlib.UUID(value))
    except ValueError:
        raise DomainError(
            f"invalid uuid: {value!r}", ErrorCode.UNPARSABLE_REQUEST
        ) from None


def insert_code(
    conn: psycopg.Connection,
    secrets: Secrets,
    new: NewCode,
    now: dt.datetime,
    *,
    retries: int = 6,
    retry_sleep: Callable[[float], None] = time.sleep,
) -> IssuedCode:
    """Generate and store a code, retrying on collisions; raise 409 on a reused UUID."""
    expires_at = now + dt.timedelta(seconds=new.short_ttl)
    long_expires_at = now + dt.timedelta(seconds=new.long_ttl)
    for attempt in range(retries + 1):
        code = generate_short_code(new.short_length)
        long_code = generate_long_code(new.long_length)
        try:
            # A savepoint, so a collision leaves the caller's transaction usable.
            with conn.transaction():
                row_id, row_uuid = q.insert_code(
                    conn,
                    realm_id=new.realm_id,
                    code_hmac=secrets.hmac_first(conn, CODE_HMAC, code),
                    long_code_hmac=secrets.hmac_first(conn, CODE_HMAC, long_code),
                    uuid=new.uuid,
                    test_type=new.test_type,
                    symptom_date=new.symptom_date,
                    test_date=new.test_date,
                    expires_at=expires_at,
                    long_expires_at=long_expires_at,
                    issuing_user_id=new.issuing_user_id,
                    issuing_app_id=new.issuing_app_id,
                    issuing_external_id=new.issuing_external_id,
                    user_report_id=new.user_report_id,
                    now=now,
                )
        except psycopg.errors.UniqueViolation as ex:
            constraint = ex.diag.constraint_name or ""
            if constraint == "idx_vercode_uuid_unique":
                raise DomainError(
                    "code for uuid already exists", ErrorCode.UUID_ALREADY_EXISTS, 409
                ) from None
            if attempt == retries:
                raise
            retry_sleep(0.05)
            continue
        return IssuedCode(
            id=row_id,
            uuid=str(row_uuid),
            code=code,
            long_code=long_code,
            expires_at=expires_at,
            long_expires_at=long_expires_at,
            test_type=new.test_type,
        )
    raise AssertionError("unreachable")


def find_code_for_claim(
    conn: psycopg.Connection, secrets: Secrets, realm_id: int, code: str
) -> tuple[q.CodeRow, bool] | None:
    """Lock the realm's code matching ``code``; say if the long code matched."""
    hmacs = secrets.hmac_all(conn, CODE_HMAC, code)
    row = q.lock_code_by_hmac(conn, realm_id=realm_id, hmacs=hmacs)
    if row is None:
        return None
    return row, row.long_code in hmacs and row.code not in hmacs


def date_window(now: dt.datetime, allowed_days: int, tz_offset_minutes: int = 0):
    """Return (lowest, highest) issuable dates for ``now`` (protocol §3.5)."""
    highest = now.astimezone(dt.UTC).date()
    lowest = highest - dt.timedelta(days=allowed_days)
    if tz_offset_minutes < 0:
        lowest -= dt.timedelta(days=1)
    return lowest, highest


def parse_issue_date(
    name: str,
    value: str | None,
    now: dt.datetime,
    allowed_days: int,
    tz_offset: float = 0,
) -> dt.date | None:
    """Parse and bound-check a ``YYYY-MM-DD`` date; None when empty."""
    if not value:
        return None
    symptom = name == "symptom"
    label = "symptom onset" if symptom else "test"
    try:
        if len(value) != 10:
            raise ValueError(value)
        parsed = dt.date.fromisoformat(value)
    except ValueError as ex:
        raise DomainError(
            f"failed to process {label} date: {ex}",
            ErrorCode.UNPARSABLE_REQUEST,
            reason=Reason.UNPARSABLE_SYMPTOM_DATE
            if symptom
            else Reason.UNPARSABLE_TEST_DATE,
        ) from None
    lowest, highest = date_window(now, allowed_days, int(tz_offset))
    if not lowest <= parsed <= highest:
        raise DomainError(
            f"{label} date must be on/after {lowest.isoformat()} and on/before "
            f"{highest.isoformat()}. Received {parsed.isoformat()}",
            ErrorCode.INVALID_DATE,
            reason=Reason.INVALID_SYMPTOM_DATE if symptom else Reason.INVALID_TEST_DATE,
            params={"lowest": lowest, "highest": highest},
        )
    return parsed


def code_status(conn: psycopg.Connection, realm_id: int, code_uuid: str) -> q.CodeRow:
    """Return a realm's code by UUID or raise code_not_found (404)."""
    try:
        canonical = str(uuidlib.UUID(code_uuid))
    except ValueError:
        canonical = None
    row = (
        q.get_code_by_uuid(conn, realm_id=realm_id, uuid=canonical)
        if canonical
        else None
    )
    if row is None:
        raise DomainError(
            "code not found, it may have expired and been removed",
            ErrorCode.CODE_NOT_FOUND,
            404,
        )
    return row


def expire_code(
    conn: psycopg.Connection, realm_id: int, code_uuid: str, now: dt.datetime
) -> q.CodeRow:
    """Expire a realm's code now (protocol §5.4); return the row afterwards.

    An already expired code is returned unchanged; a claimed one is refused.
    The caller writes the audit entry inside the same transaction.
    """
    row = code_status(conn, realm_id, code_uuid)
    locked = q.lock_code_by_id(conn, code_id=row.id)
    if locked.expires_at < now and locked.long_expires_at < now:
        return locked
    if locked.claimed:
        raise DomainError("bad request", ErrorCode.NONE, 400)
    return q.expire_code(conn, code_id=locked.id, now=now)
