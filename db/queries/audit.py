"""Queries on the append-only audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class AuditRow:
    """One audit entry, with the name of its realm (None for system entries)."""

    id: int
    realm_id: int
    realm_name: str | None
    actor_id: str
    actor_display: str
    action: str
    target_id: str
    target_display: str
    diff: str | None
    created_at: dt.datetime


# Filters shared by the count and the page: a NULL parameter means "any".
_FILTER = (
    " WHERE (%(realm_id)s::int IS NULL OR a.realm_id = %(realm_id)s)"
    " AND (%(since)s::timestamptz IS NULL OR a.created_at >= %(since)s)"
    " AND (%(before)s::timestamptz IS NULL OR a.created_at < %(before)s)"
)


def insert_audit_entry(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    actor_id: str,
    actor_display: str,
    action: str,
    target_id: str,
    target_display: str,
    diff: str | None = None,
) -> int:
    """Append one audit entry; return its id."""
    return conn.execute(
        "INSERT INTO audit_entries (realm_id, actor_id, actor_display, action,"
        " target_id,"
        " target_display, diff) VALUES (%(realm)s, %(actor_id)s, %(actor_display)s,"
        " %(action)s, %(target_id)s, %(target_display)s, %(diff)s) RETURNING id",
        {
            "realm": realm_id,
            "actor_id": actor_id,
            "actor_display": actor_display,
            "action": action,
            "target_id": target_id,
            "target_display": target_display,
            "diff": diff,
        },
    ).fetchone()[0]


def count_audit_entries(
    conn: psycopg.Connection,
    *,
    realm_id: int | None,
    since: dt.datetime | None,
    before: dt.datetime | None,
) -> int:
    """Count the entries of one realm (or all) in ``[since, before)``."""
    return conn.execute(
        "SELECT count(*) FROM audit_entries a" + _FILTER,
        {"realm_id": realm_id, "since": since, "before": before},
    ).fetchone()[0]


def list_audit_entries(
    conn: psycopg.Connection,
    *,
    realm_id: int | None,
    since: dt.datetime | None,
    before: dt.datetime | None,
    limit: int,
    offset: int,
) -> list[AuditRow]:
    """Return one page of entries in ``[since, before)``, newest first."""
    with conn.cursor(row_factory=class_row(AuditRow)) as cur:
        return cur.execute(
            "SELECT a.id, a.realm_id, r.name AS realm_name, a.actor_id,"
            " a.actor_display, a.action, a.target_id, a.target_display, a.diff,"
            " a.created_at FROM audit_entries a LEFT JOIN realms r ON r.id = a.realm_id"
            + _FILTER
            + " ORDER BY a.created_at DESC, a.id DESC"
            " LIMIT %(limit)s OFFSET %(offset)s",
            {
                "realm_id": realm_id,
                "since": since,
                "before": before,
                "limit": limit,
                "offset": offset,
            },
        ).fetchall()
