"""Queries on ``lock_statuses``: the per-duty run gate (operations §1.1)."""

from __future__ import annotations

import datetime as dt

import psycopg


def ensure_lock_row(conn: psycopg.Connection, *, name: str) -> None:
    """Create the gate row for ``name`` if it does not exist yet."""
    conn.execute(
        "INSERT INTO lock_statuses (type, generation, not_before)"
        " VALUES (%(name)s, 0, '-infinity') ON CONFLICT (type) DO NOTHING",
        {"name": name},
    )


def acquire_lock(
    conn: psycopg.Connection,
    *,
    name: str,
    holder: str,
    now: dt.datetime,
    not_before: dt.datetime,
    slack: dt.timedelta,
    stale_before: dt.datetime,
) -> int | None:
    """Take the gate if it is free and due; return the new generation or None.

    A single conditional UPDATE: concurrent callers queue on the row lock and
    re-check the condition, so exactly one of them wins. The same holder may
    take it again (every asset of one run calls the gate).
    """
    row = conn.execute(
        "UPDATE lock_statuses SET generation = generation + 1,"
        " not_before = %(not_before)s, holder = %(holder)s, released_at = NULL,"
        " updated_at = %(now)s"
        " WHERE type = %(name)s AND ("
        "   (holder = %(holder)s AND released_at IS NULL)"
        "   OR (not_before <= %(now)s + %(slack)s"
        "       AND (holder IS NULL OR released_at IS NOT NULL"
        "            OR updated_at <= %(stale_before)s)))"
        " RETURNING generation",
        {
            "name": name,
            "holder": holder,
            "now": now,
            "not_before": not_before,
            "slack": slack,
            "stale_before": stale_before,
        },
    ).fetchone()
    return row[0] if row else None


def release_locks_of(
    conn: psycopg.Connection, *, holder: str, now: dt.datetime
) -> list[str]:
    """Release every gate ``holder`` still holds; return their names."""
    rows = conn.execute(
        "UPDATE lock_statuses SET released_at = %(now)s, updated_at = %(now)s"
        " WHERE holder = %(holder)s AND released_at IS NULL RETURNING type",
        {"holder": holder, "now": now},
    ).fetchall()
    return [row[0] for row in rows]


def get_lock(conn: psycopg.Connection, *, name: str) -> tuple | None:
    """Return (generation, not_before, holder, released_at) of a gate."""
    return conn.execute(
        "SELECT generation, not_before, holder, released_at FROM lock_statuses"
        " WHERE type = %(name)s",
        {"name": name},
    ).fetchone()
