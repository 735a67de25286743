"""Upserts of the daily counters the device API writes (protocol §11).

Array columns are added element-wise so a delta of zeros changes nothing;
``coalesce`` covers rows whose arrays are shorter than the delta.

Each day's counters are spread over STATS_SHARDS rows picked by the writer's
backend, so concurrent transactions almost never wait on one another's row
lock (held until COMMIT); readers sum the shards through the ``*_daily`` views.
"""

from __future__ import annotations

import datetime as dt

import psycopg

# The shard a writer's rows go to: one backend runs one transaction at a time,
# so two open transactions share a row only when their pids collide mod 16.
# ``%%`` because every statement using it is parametrised.
STATS_SHARD = "(pg_backend_pid() %% 16)::smallint"

# Element-wise ``old + delta`` of an int[] column of realm_stats.
REALM_ARRAY_ADD = (
    "ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)"
    " FROM unnest(realm_stats.{col}, EXCLUDED.{col}) AS t(a, b))"
)


def add_realm_invalid_code(
    conn: psycopg.Connection,
    *,
    date: dt.date,
    realm_id: int,
    os_delta: list[int],
    bad_nonce: bool,
) -> None:
    """Count one refused code (and a bad nonce), with per-OS arrays."""
    nonce_delta = os_delta if bad_nonce else [0] * len(os_delta)
    conn.execute(
        "INSERT INTO realm_stats (date, realm_id, shard, codes_invalid,"
        " codes_invalid_by_os, user_reports_invalid_nonce,"
        " user_reports_invalid_nonce_by_os)"
        f" VALUES (%(date)s, %(realm_id)s, {STATS_SHARD}, 1, %(os)s, %(nonce)s,"
        " %(nonce_os)s) ON CONFLICT (date, realm_id, shard) DO UPDATE SET"
        " codes_invalid = realm_stats.codes_invalid + 1,"
        " user_reports_invalid_nonce = realm_stats.user_reports_invalid_nonce"
        " + EXCLUDED.user_reports_invalid_nonce,"
        " codes_invalid_by_os = "
        + REALM_ARRAY_ADD.format(col="codes_invalid_by_os")
        + ", user_reports_invalid_nonce_by_os = "
        + REALM_ARRAY_ADD.format(col="user_reports_invalid_nonce_by_os"),
        {
            "date": date,
            "realm_id": realm_id,
            "os": os_delta,
            "nonce": int(bad_nonce),
            "nonce_os": nonce_delta,
        },
    )


def add_realm_tokens(
    conn: psycopg.Connection,
    *,
    date: dt.date,
    realm_id: int,
    claimed: int = 0,
    invalid: int = 0,
    user_report_claimed: int = 0,
) -> None:
    """Add to a realm's daily token counters."""
    conn.execute(
        "INSERT INTO realm_stats (date, realm_id, shard, tokens_claimed,"
        " tokens_invalid, user_report_tokens_claimed)"
        f" VALUES (%(date)s, %(realm_id)s, {STATS_SHARD}, %(claimed)s, %(invalid)s,"
        " %(ur)s) ON CONFLICT (date, realm_id, shard) DO UPDATE SET"
        " tokens_claimed = realm_stats.tokens_claimed + EXCLUDED.tokens_claimed,"
        " tokens_invalid = realm_stats.tokens_invalid + EXCLUDED.tokens_invalid,"
        " user_report_tokens_claimed = realm_stats.user_report_tokens_claimed"
        " + EXCLUDED.user_report_tokens_claimed",
        {
            "date": date,
            "realm_id": realm_id,
            "claimed": claimed,
            "invalid": invalid,
            "ur": user_report_claimed,
        },
    )


def add_app_counts(
    conn: psycopg.Connection,
    *,
    date: dt.date,
    app_id: int,
    codes_claimed: int = 0,
    codes_invalid: int = 0,
    tokens_claimed: int = 0,
    tokens_invalid: int = 0,
) -> None:
    """Add to an API key's daily counters."""
    conn.execute(
        "INSERT INTO authorized_app_stats (date, authorized_app_id, shard,"
        " codes_claimed, codes_invalid, tokens_claimed, tokens_invalid)"
        f" VALUES (%(date)s, %(app_id)s, {STATS_SHARD}, %(cc)s, %(ci)s, %(tc)s,"
        " %(ti)s) ON CONFLICT (date, authorized_app_id, shard) DO UPDATE SET"
        " codes_claimed = authorized_app_stats.codes_claimed + EXCLUDED.codes_claimed,"
        " codes_invalid = authorized_app_stats.codes_invalid + EXCLUDED.codes_invalid,"
        " tokens_claimed = authorized_app_stats.tokens_claimed"
        " + EXCLUDED.tokens_claimed,"
        " tokens_invalid = authorized_app_stats.tokens_invalid"
        " + EXCLUDED.tokens_invalid",
        {
            "date": date,
            "app_id": app_id,
            "cc": codes_claimed,
            "ci": codes_invalid,
            "tc": tokens_claimed,
            "ti": tokens_invalid,
        },
    )


def record_chaff_event(
    conn: psycopg.Connection, *, realm_id: int, date: dt.date
) -> None:
    """Note that the realm saw chaff on ``date`` (insert if absent)."""
    conn.execute(
        "INSERT INTO realm_chaff_events (realm_id, date)"
        " VALUES (%(realm_id)s, %(date)s) ON CONFLICT DO NOTHING",
        {"realm_id": realm_id, "date": date},
    )
