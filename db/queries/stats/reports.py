"""Read-side queries behind ``/api/stats/*`` (one realm, a date range)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class RealmStatsRow:
    """One day of ``realm_stats``, summed over its shards."""

    date: dt.date
    codes_issued: int
    codes_claimed: int
    codes_invalid: int
    user_reports_issued: int
    user_reports_claimed: int
    user_report_tokens_claimed: int
    user_reports_invalid_nonce: int
    tokens_claimed: int
    tokens_invalid: int
    codes_invalid_by_os: list[int]
    user_reports_invalid_nonce_by_os: list[int]
    code_claim_age_distribution: list[int]
    code_claim_mean_age: int


@dataclass(frozen=True)
class KeyServerDayRow:
    """One day of key-server statistics pulled for a realm."""

    day: dt.datetime
    publish_requests: list[int]
    total_teks_published: int
    revision_requests: int
    tek_age_distribution: list[int]
    onset_to_upload_distribution: list[int]
    request_missing_onset_date: int


@dataclass(frozen=True)
class UserDayRow:
    """Codes a user issued on one day."""

    date: dt.date
    user_id: int
    name: str
    email: str
    codes_issued: int


@dataclass(frozen=True)
class AppDayRow:
    """One day of an API key's counters."""

    date: dt.date
    codes_issued: int
    codes_claimed: int
    codes_invalid: int
    tokens_claimed: int
    tokens_invalid: int


@dataclass(frozen=True)
class KeyedDayRow:
    """A per-day count keyed by a string (issuer id or SMS error code)."""

    date: dt.date
    key: str
    quantity: int


def realm_stats(
    conn: psycopg.Connection, *, realm_id: int, start: dt.date, end: dt.date
) -> list[RealmStatsRow]:
    """Return the realm's daily stats between two dates, newest first."""
    with conn.cursor(row_factory=class_row(RealmStatsRow)) as cur:
        return cur.execute(
            "SELECT date, codes_issued, codes_claimed, codes_invalid,"
            " user_reports_issued, user_reports_claimed, user_report_tokens_claimed,"
            " user_reports_invalid_nonce, tokens_claimed, tokens_invalid,"
            " codes_invalid_by_os, user_reports_invalid_nonce_by_os,"
            " code_claim_age_distribution, code_claim_mean_age FROM realm_stats_daily"
            " WHERE realm_id = %(realm_id)s AND date BETWEEN %(start)s AND %(end)s"
            " ORDER BY date DESC",
            {"realm_id": realm_id, "start": start, "end": end},
        ).fetchall()


def has_key_server_config(conn: psycopg.Connection, *, realm_id: int) -> bool:
    """Say whether the realm pulls key-server statistics."""
    row = conn.execute(
        "SELECT 1 FROM key_server_stats WHERE realm_id = %(realm_id)s",
        {"realm_id": realm_id},
    ).fetchone()
    return row is not None


def key_server_days(
    conn: psycopg.Connection, *, realm_id: int, start: dt.date, end: dt.date
) -> list[KeyServerDayRow]:
    """Return the realm's key-server days between two dates, newest first."""
    with conn.cursor(row_factory=class_row(KeyServerDayRow)) as cur:
        return cur.execute(
            "SELECT day, publish_requests, total_teks_published, revision_requests,"
            " tek_age_distribution, onset_to_upload_distribution,"
            " request_missing_onset_date FROM key_server_stats_days"
            " WHERE realm_id = %(realm_id)s"
            " AND (day AT TIME ZONE 'UTC')::date BETWEEN %(start)s AND %(end)s"
            " ORDER BY day DESC",
            {"realm_id": realm_id, "start": start, "end": end},
        ).fetchall()


def user_stats(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    start: dt.date,
    end: dt.date,
    user_id: int | None = None,
) -> list[UserDayRow]:
    """Return per-user issue counts (optionally one user), newest first."""
    query = (
        "SELECT s.date, s.user_id, u.name, u.email, s.codes_issued FROM user_stats s"
        " JOIN users u ON u.id = s.user_id WHERE s.realm_id = %(realm_id)s"
        " AND s.date BETWEEN %(start)s AND %(end)s"
    )
    params = {"realm_id": realm_id, "start": start, "end": end, "user_id": user_id}
    if user_id is not None:
        query += " AND s.user_id = %(user_id)s"
    with conn.cursor(row_factory=class_row(UserDayRow)) as cur:
        query += " ORDER BY s.date DESC, s.user_id"
        return cur.execute(query, params).fetchall()


def realm_member(
    conn: psycopg.Connection, *, realm_id: int, user_id: int
) -> tuple[str, str] | None:
    """Return (name, email) of a realm member."""
    return conn.execute(
        "SELECT u.name, u.email FROM users u JOIN memberships m ON m.user_id = u.id"
        " WHERE m.realm_id = %(realm_id)s AND u.id = %(user_id)s",
        {"realm_id": realm_id, "user_id": user_id},
    ).fetchone()


def realm_app(
    conn: psycopg.Connection, *, realm_id: int, app_id: int
) -> tuple[str, int] | None:
    """Return (name, type) of an API key of the realm, deleted or not."""
    return conn.execute(
        "SELECT name, api_key_type FROM authorized_apps"
        " WHERE realm_id = %(realm_id)s AND id = %(app_id)s",
        {"realm_id": realm_id, "app_id": app_id},
    ).fetchone()


def app_stats(
    conn: psycopg.Connection, *, app_id: int, start: dt.date, end: dt.date
) -> list[AppDayRow]:
    """Return an API key's daily counters, newest first."""
    with conn.cursor(row_factory=class_row(AppDayRow)) as cur:
        return cur.execute(
            "SELECT date, codes_issued, codes_claimed, codes_invalid, tokens_claimed,"
            " tokens_invalid FROM authorized_app_stats_daily"
            " WHERE authorized_app_id = %(app_id)s"
            " AND date BETWEEN %(start)s AND %(end)s ORDER BY date DESC",
            {"app_id": app_id, "start": start, "end": end},
        ).fetchall()


def external_issuer_stats(
    conn: psycopg.Connection, *, realm_id: int, start: dt.date, end: dt.date
) -> list[KeyedDayRow]:
    """Return codes per external issuer per day, newest first."""
    with conn.cursor(row_factory=class_row(KeyedDayRow)) as cur:
        return cur.execute(
            "SELECT date, issuer_id AS key, codes_issued AS quantity"
            " FROM external_issuer_stats WHERE realm_id = %(realm_id)s"
            " AND date BETWEEN %(start)s AND %(end)s ORDER BY date DESC, issuer_id",
            {"realm_id": realm_id, "start": start, "end": end},
        ).fetchall()


def sms_error_stats(
    conn: psycopg.Connection, *, realm_id: int, start: dt.date, end: dt.date
) -> list[KeyedDayRow]:
    """Return SMS provider errors per code per day, newest first."""
    with conn.cursor(row_factory=class_row(KeyedDayRow)) as cur:
        return cur.execute(
            "SELECT date, error_code AS key, quantity FROM sms_error_stats"
            " WHERE realm_id = %(realm_id)s AND date BETWEEN %(start)s AND %(end)s"
            " ORDER BY date DESC, error_code",
            {"realm_id": realm_id, "start": start, "end": end},
        ).fetchall()
