"""Queries on verification tokens (the single-use step between code and certificate)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class TokenRow:
    """A verification token row."""

    id: int
    realm_id: int
    token_id: str
    test_type: str
    symptom_date: dt.datetime | None
    test_date: dt.datetime | None
    used: bool
    expires_at: dt.datetime
    authorized_app_id: int | None
    from_user_report: bool


_COLUMNS = (
    "id, realm_id, token_id, test_type, symptom_date, test_date, used, expires_at,"
    " authorized_app_id, from_user_report"
)


def lock_token(
    conn: psycopg.Connection, *, realm_id: int, token_id: str
) -> TokenRow | None:
    """Return and row-lock the realm's live token with ``token_id``."""
    with conn.cursor(row_factory=class_row(TokenRow)) as cur:
        return cur.execute(
            f"SELECT {_COLUMNS} FROM tokens"  # noqa: S608
            " WHERE token_id = %(token_id)s AND realm_id = %(realm_id)s"
            " AND deleted_at IS NULL FOR UPDATE",
            {"token_id": token_id, "realm_id": realm_id},
        ).fetchone()


def mark_token_used(
    conn: psycopg.Connection, *, token_pk: int, now: dt.datetime
) -> int:
    """Mark a token used unless it already is; return rows affected (0 or 1)."""
    return conn.execute(
        "UPDATE tokens SET used = true, updated_at = %(now)s"
        " WHERE id = %(id)s AND NOT used",
        {"id": token_pk, "now": now},
    ).rowcount
