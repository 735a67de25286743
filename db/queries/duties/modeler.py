"""Queries feeding the modeler: issuance history and daily claim stats."""

from __future__ import annotations

import datetime as dt

import psycopg


def issuance_history(
    conn: psycopg.Connection, *, realm_id: int, before: dt.date, limit: int
) -> list[int]:
    """Return ``codes_issued`` of the newest rows before ``before``, oldest first."""
    rows = conn.execute(
        "SELECT codes_issued FROM realm_stats_daily"
        " WHERE realm_id = %(realm)s AND date < %(before)s"
        " ORDER BY date DESC LIMIT %(limit)s",
        {"realm": realm_id, "before": before, "limit": limit},
    ).fetchall()
    return [row[0] for row in reversed(rows)]


def daily_claims(
    conn: psycopg.Connection, *, realm_id: int, first: dt.date, last: dt.date
) -> list[tuple[int, int]]:
    """Return (issued, claimed) per day from ``last`` back to ``first``, zero-padded."""
    return conn.execute(
        "SELECT coalesce(s.codes_issued, 0), coalesce(s.codes_claimed, 0)"
        " FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') d"
        " LEFT JOIN realm_stats_daily s ON s.date = d::date AND s.realm_id = %(realm)s"
        " ORDER BY d DESC",
        {"realm": realm_id, "first": first, "last": last},
    ).fetchall()
