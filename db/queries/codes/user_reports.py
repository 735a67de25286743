"""Queries on user reports for the verify path (nonce check and claim).

Issuing-side queries (insert, de-duplication, delete) live with issuance.
"""

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
