"""Queries on the append-only audit log."""

from __future__ import annotations

import psycopg


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
