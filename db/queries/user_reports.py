"""Queries on self-initiated user reports (phone de-duplication and nonces)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class UserReportRow:
    """A user report; ``phone_hash`` is an HMAC, ``nonce`` b64std of the bytes."""

    id: int
    phone_hash: str
    nonce: str
    nonce_required: bool
    code_claimed: bool
    created_at: dt.datetime


_SELECT = (
    "SELECT id, phone_hash, nonce, nonce_required, code_claimed, created_at"
    " FROM user_reports"
)


def lock_user_report(
    conn: psycopg.Connection, *, report_id: int
) -> UserReportRow | None:
    """Return and row-lock a user report by id."""
    with conn.cursor(row_factory=class_row(UserReportRow)) as cur:
        return cur.execute(
            _SELECT + " WHERE id = %(id)s FOR UPDATE", {"id": report_id}
        ).fetchone()


def mark_user_report_claimed(
    conn: psycopg.Connection, *, report_id: int, now: dt.datetime
) -> int:
    """Mark a user report's code claimed; return rows affected."""
    return conn.execute(
        "UPDATE user_reports SET code_claimed = true, updated_at = %(now)s"
        " WHERE id = %(id)s AND NOT code_claimed",
        {"id": report_id, "now": now},
    ).rowcount


def find_user_report_by_phone(
    conn: psycopg.Connection, *, phone_hashes: list[str]
) -> UserReportRow | None:
    """Return the user report whose phone HMAC is one of ``phone_hashes``."""
    with conn.cursor(row_factory=class_row(UserReportRow)) as cur:
        return cur.execute(
            _SELECT + " WHERE phone_hash = ANY(%(hashes)s) LIMIT 1",
            {"hashes": phone_hashes},
        ).fetchone()


def insert_user_report(
    conn: psycopg.Connection,
    *,
    phone_hash: str,
    nonce: str,
    nonce_required: bool,
    now: dt.datetime,
) -> int | None:
    """Insert a user report; return its id, or None if the phone already has one."""
    row = conn.execute(
        "INSERT INTO user_reports (phone_hash, nonce, nonce_required, created_at,"
        " updated_at) VALUES (%(hash)s, %(nonce)s, %(required)s, %(now)s, %(now)s)"
        " ON CONFLICT (phone_hash) DO NOTHING RETURNING id",
        {"hash": phone_hash, "nonce": nonce, "required": nonce_required, "now": now},
    ).fetchone()
    return row[0] if row else None


def delete_user_report(conn: psycopg.Connection, *, report_id: int) -> int:
    """Delete a user report (e.g. when its SMS could not be sent)."""
    return conn.execute(
        "DELETE FROM user_reports WHERE id = %(id)s", {"id": report_id}
    ).rowcount
