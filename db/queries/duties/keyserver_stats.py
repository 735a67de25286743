"""Queries of the key-server stats pull (operations §6)."""

from __future__ import annotations

import datetime as dt

import psycopg


def stats_configs(conn: psycopg.Connection) -> list[tuple[int, str | None, str | None]]:
    """Return (realm id, URL override, audience override) of opted-in realms."""
    return conn.execute(
        "SELECT realm_id, key_server_url_override, key_server_audience_override"
        " FROM key_server_stats ORDER BY realm_id"
    ).fetchall()


def active_realm_certificate_key(
    conn: psycopg.Connection, *, realm_id: int
) -> tuple[str, str] | None:
    """Return (kid, key version) of a realm's active certificate key."""
    row = conn.execute(
        "SELECT 'r' || realm_id || 'v' || id, key_id FROM signing_keys"
        " WHERE realm_id = %(realm)s AND active AND deleted_at IS NULL",
        {"realm": realm_id},
    ).fetchone()
    return (row[0], row[1]) if row else None


def upsert_stats_day(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    day: dt.datetime,
    publish_requests: list[int],
    total_teks_published: int,
    revision_requests: int,
    tek_age_distribution: list[int],
    onset_to_upload_distribution: list[int],
    request_missing_onset_date: int,
) -> None:
    """Insert or overwrite one realm's stats day."""
    conn.execute(
        "INSERT INTO key_server_stats_days (realm_id, day, publish_requests,"
        " total_teks_published, revision_requests, tek_age_distribution,"
        " onset_to_upload_distribution, request_missing_onset_date)"
        " VALUES (%(realm)s, %(day)s, %(pr)s, %(teks)s, %(rev)s, %(age)s, %(onset)s,"
        " %(missing)s) ON CONFLICT (realm_id, day) DO UPDATE SET"
        " publish_requests = excluded.publish_requests,"
        " total_teks_published = excluded.total_teks_published,"
        " revision_requests = excluded.revision_requests,"
        " tek_age_distribution = excluded.tek_age_distribution,"
        " onset_to_upload_distribution = excluded.onset_to_upload_distribution,"
        " request_missing_onset_date = excluded.request_missing_onset_date",
        {
            "realm": realm_id,
            "day": day,
            "pr": publish_requests,
            "teks": total_teks_published,
            "rev": revision_requests,
            "age": tek_age_distribution,
            "onset": onset_to_upload_distribution,
            "missing": request_missing_onset_date,
        },
    )


def latest_stats_days(
    conn: psycopg.Connection,
) -> list[tuple[int, dt.datetime | None]]:
    """Return (realm id, newest stats day or None) of every opted-in realm."""
    return conn.execute(
        "SELECT k.realm_id, max(d.day) FROM key_server_stats k"
        " LEFT JOIN key_server_stats_days d ON d.realm_id = k.realm_id"
        " GROUP BY k.realm_id ORDER BY k.realm_id"
    ).fetchall()
