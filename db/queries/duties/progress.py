"""Queries on ``duty_progress``: each duty's last real success."""

from __future__ import annotations

import datetime as dt

import psycopg


def record_success(
    conn: psycopg.Connection, *, duty: str, run_id: str, now: dt.datetime
) -> None:
    """Store ``now`` as the duty's last success (the row is created if missing)."""
    conn.execute(
        "INSERT INTO duty_progress (duty, first_seen_at, last_success_at, last_run_id)"
        " VALUES (%(duty)s, %(now)s, %(now)s, %(run)s)"
        " ON CONFLICT (duty) DO UPDATE SET"
        " last_success_at = GREATEST("
        "duty_progress.last_success_at, EXCLUDED.last_success_at),"
        " last_run_id = EXCLUDED.last_run_id",
        {"duty": duty, "now": now, "run": run_id},
    )


def progress(
    conn: psycopg.Connection, *, duties: list[str], now: dt.datetime
) -> dict[str, tuple[dt.datetime, dt.datetime | None]]:
    """Return (first seen, last success) per duty, registering unseen duties."""
    conn.execute(
        "INSERT INTO duty_progress (duty, first_seen_at)"
        " SELECT unnest(%(duties)s::text[]), %(now)s ON CONFLICT (duty) DO NOTHING",
        {"duties": duties, "now": now},
    )
    rows = conn.execute(
        "SELECT duty, first_seen_at, last_success_at FROM duty_progress"
        " WHERE duty = ANY(%(duties)s)",
        {"duties": duties},
    ).fetchall()
    return {duty: (first, last) for duty, first, last in rows}
