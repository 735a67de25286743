"""Daily codes issued and claimed summed over realms (system statistics)."""

from __future__ import annotations

import datetime as dt

import psycopg


def system_days(
    conn: psycopg.Connection, *, start: dt.date, end: dt.date, exclude: list[int]
) -> list[tuple[dt.date, int, int, int]]:
    """Return (date, contributing realms, codes issued, codes claimed) per day.

    The e2e realm and ``exclude`` never count; newest day first.
    """
    return conn.execute(
        "SELECT s.date, count(DISTINCT s.realm_id), sum(s.codes_issued)::bigint,"
        " sum(s.codes_claimed)::bigint FROM realm_stats_daily s"
        " JOIN realms r ON r.id = s.realm_id AND NOT r.is_e2e"
        " WHERE s.date BETWEEN %(start)s AND %(end)s"
        " AND NOT (s.realm_id = ANY(%(exclude)s))"
        " GROUP BY s.date ORDER BY s.date DESC",
        {"start": start, "end": end, "exclude": exclude},
    ).fetchall()


def contributing_realms(
    conn: psycopg.Connection, *, start: dt.date, end: dt.date, exclude: list[int]
) -> int:
    """Count the realms with any statistics between two dates."""
    return conn.execute(
        "SELECT count(DISTINCT s.realm_id) FROM realm_stats_daily s"
        " JOIN realms r ON r.id = s.realm_id AND NOT r.is_e2e"
        " WHERE s.date BETWEEN %(start)s AND %(end)s"
        " AND NOT (s.realm_id = ANY(%(exclude)s))",
        {"start": start, "end": end, "exclude": exclude},
    ).fetchone()[0]
