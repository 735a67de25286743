"""Queries on verification codes (stored only as HMACs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import psycopg
from psycopg.rows import class_row

from db.arrays import array_literal


@dataclass(frozen=True)
class CodeRow:
    """A verification code row (``code``/``long_code`` are HMACs)."""

    id: int
    created_at: dt.datetime
    realm_id: int
    code: str
    long_code: str
    uuid: UUID
    claimed: bool
    test_type: str
    symptom_date: dt.datetime | None
    test_date: dt.datetime | None
    expires_at: dt.datetime
    long_expires_at: dt.datetime
    user_report_id: int | None
    issuing_user_id: int | None
    issuing_app_id: int | None
    issuing_external_id: str


_COLUMNS = (
    "id, created_at, realm_id, code, long_code, uuid, claimed, test_type, symptom_date,"
    " test_date, expires_at, long_expires_at, user_report_id, issuing_user_id,"
    " issuing_app_id, issuing_external_id"
)
_SELECT = f"SELECT {_COLUMNS} FROM verification_codes"  # noqa: S608


def insert_code(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    code_hmac: str,
    long_code_hmac: str,
    uuid: str | None,
    test_type: str,
    symptom_date: dt.date | None,
    test_date: dt.date | None,
    expires_at: dt.datetime,
    long_expires_at: dt.datetime,
    issuing_user_id: int | None,
    issuing_app_id: int | None,
    issuing_external_id: str,
    user_report_id: int | None,
    now: dt.datetime,
) -> tuple[int, UUID]:
    """Insert a code row; return (id, uuid)."""
    return conn.execute(
        "INSERT INTO verification_codes (realm_id, code, long_code, uuid, test_type,"
        " symptom_date, test_date, expires_at, long_expires_at, issuing_user_id,"
        " issuing_app_id, issuing_external_id, user_report_id, created_at, updated_at)"
        " VALUES (%(realm_id)s, %(code)s, %(long_code)s,"
        " coalesce(%(uuid)s::uuid, gen_random_uuid()), %(test_type)s, %(symptom_date)s,"
        " %(test_date)s, %(expires_at)s, %(long_expires_at)s, %(user_id)s, %(app_id)s,"
        " %(external_id)s, %(user_report_id)s, %(now)s, %(now)s) RETURNING id, uuid",
        {
            "realm_id": realm_id,
            "code": code_hmac,
            "long_code": long_code_hmac,
            "uuid": uuid,
            "test_type": test_type,
            "symptom_date": symptom_date,
            "test_date": test_date,
            "expires_at": expires_at,
            "long_expires_at": long_expires_at,
            "user_id": issuing_user_id,
            "app_id": issuing_app_id,
            "external_id": issuing_external_id,
            "user_report_id": user_report_id,
            "now": now,
        },
    ).fetchone()


# The code matching one of %(hmacs)s in realm %(realm_id)s (a presented code
# is either a short or a long one, so at most one row matches);
# ``long_matched`` says which column matched. Each HMAC is looked up per hash
# column by equality on every column of that column's unique index, which the
# planner costs as a single row whatever the statistics say. The former
# ``realm_id = .. AND (code = ANY(..) OR long_code = ANY(..))`` was planned
# from statistics: right after a burst of new codes (no ANALYZE yet), and in
# the generic plan of the prepared statement, it scanned the realm's codes.
# The explicit ``<> ''`` lets every plan prove the partial indexes apply. No
# ORDER BY: with one, the generic plan was costed above the custom ones (the
# planner assumes ten HMACs), so PostgreSQL re-planned the statement on every
# execution, 0.5-1.2 ms of planning for 0.1-0.2 ms of execution.
CODE_PROBE = (
    "(SELECT c.id, c.long_matched FROM unnest(%(hmacs)s::text[]) AS h(value)"
    " CROSS JOIN LATERAL (SELECT id, false AS long_matched FROM verification_codes"
    " WHERE realm_id = %(realm_id)s AND code = h.value AND code <> ''"
    " UNION ALL SELECT id, true FROM verification_codes"
    " WHERE realm_id = %(realm_id)s AND long_code = h.value AND long_code <> '') c"
    " LIMIT 1)"
)


def lock_code_by_hmac(
    conn: psycopg.Connection, *, realm_id: int, hmacs: list[str]
) -> CodeRow | None:
    """Return and row-lock the realm's code whose short or long HMAC matches."""
    with conn.cursor(row_factory=class_row(CodeRow)) as cur:
        return cur.execute(
            _SELECT + " WHERE id = (SELECT id FROM " + CODE_PROBE + " probe)"
            " FOR UPDATE",
            {"realm_id": realm_id, "hmacs": array_literal(hmacs)},
        ).fetchone()


def get_code_by_uuid(
    conn: psycopg.Connection, *, realm_id: int, uuid: str
) -> CodeRow | None:
    """Return a realm's code by UUID."""
    with conn.cursor(row_factory=class_row(CodeRow)) as cur:
        return cur.execute(
            _SELECT + " WHERE realm_id = %(realm_id)s AND uuid = %(uuid)s::uuid",
            {"realm_id": realm_id, "uuid": uuid},
        ).fetchone()


def lock_code_by_id(conn: psycopg.Connection, *, code_id: int) -> CodeRow:
    """Return and row-lock a code by id."""
    with conn.cursor(row_factory=class_row(CodeRow)) as cur:
        return cur.execute(
            _SELECT + " WHERE id = %(id)s FOR UPDATE", {"id": code_id}
        ).fetchone()


def mark_code_claimed(
    conn: psycopg.Connection, *, code_id: int, now: dt.datetime
) -> int:
    """Mark a code claimed unless it already is; return rows affected (0 or 1)."""
    return conn.execute(
        "UPDATE verification_codes SET claimed = true, updated_at = %(now)s"
        " WHERE id = %(id)s AND NOT claimed",
        {"id": code_id, "now": now},
    ).rowcount


def expire_code(conn: psycopg.Connection, *, code_id: int, now: dt.datetime) -> CodeRow:
    """Set both expiries of a code to ``now``; return the updated row."""
    with conn.cursor(row_factory=class_row(CodeRow)) as cur:
        return cur.execute(
            "UPDATE verification_codes SET expires_at = %(now)s,"
            " long_expires_at = %(now)s,"
            " updated_at = %(now)s WHERE id = %(id)s RETURNING " + _COLUMNS,
            {"id": code_id, "now": now},
        ).fetchone()


def delete_code(conn: psycopg.Connection, *, code_id: int) -> int:
    """Delete a code (e.g. when its SMS could not be sent)."""
    return conn.execute(
        "DELETE FROM verification_codes WHERE id = %(id)s", {"id": code_id}
    ).rowcount
