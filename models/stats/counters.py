"""Counters the device API writes while it claims codes and tokens (protocol §11).

Callers run these inside the transaction of the claim they count, so a
rolled-back claim is never counted.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

import psycopg

from db.queries.stats import counters as q


class OperatingSystem(IntEnum):
    """Index of the per-OS arrays (unknown=0, iOS=1, Android=2)."""

    UNKNOWN = 0
    IOS = 1
    ANDROID = 2


# Upper bounds (seconds) of the claim-age buckets: 1m, 5m, 15m, 30m, 1h, 2h,
# 3h, 6h, 12h, 24h, 336h. Older claims are counted in no bucket.
CLAIM_AGE_BOUNDS = (60, 300, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 1209600)


def detect_os(user_agent: str | None) -> OperatingSystem:
    """Classify a User-Agent as the original's stats do (substring match)."""
    agent = (user_agent or "").lower()
    if "darwin" in agent or "iphone" in agent:
        return OperatingSystem.IOS
    if "dalvik" in agent:
        return OperatingSystem.ANDROID
    return OperatingSystem.UNKNOWN


def claim_age_buckets(age_seconds: float) -> list[int]:
    """Return an 11-entry delta with a 1 in the first bucket ``age`` fits."""
    delta = [0] * len(CLAIM_AGE_BOUNDS)
    for index, bound in enumerate(CLAIM_AGE_BOUNDS):
        if age_seconds <= bound:
            delta[index] = 1
            break
    return delta


def _os_delta(os_kind: OperatingSystem) -> list[int]:
    delta = [0] * len(OperatingSystem)
    delta[os_kind] = 1
    return delta


def code_invalid(
    conn: psycopg.Connection,
    *,
    now: dt.datetime,
    realm_id: int,
    app_id: int,
    os_kind: OperatingSystem,
    bad_nonce: bool = False,
) -> None:
    """Count a refused code (and a bad user-report nonce) per realm, OS and key."""
    q.add_realm_invalid_code(
        conn,
        date=now.date(),
        realm_id=realm_id,
        os_delta=_os_delta(os_kind),
        bad_nonce=bad_nonce,
    )
    q.add_app_counts(conn, date=now.date(), app_id=app_id, codes_invalid=1)


def token_claimed(
    conn: psycopg.Connection,
    *,
    now: dt.datetime,
    realm_id: int,
    app_id: int,
    user_report: bool,
) -> None:
    """Count a certificate issued for a token."""
    q.add_realm_tokens(
        conn,
        date=now.date(),
        realm_id=realm_id,
        claimed=1,
        user_report_claimed=int(user_report),
    )
    q.add_app_counts(conn, date=now.date(), app_id=app_id, tokens_claimed=1)


def token_invalid(
    conn: psycopg.Connection, *, now: dt.datetime, realm_id: int, app_id: int
) -> None:
    """Count a token the certificate step refused."""
    q.add_realm_tokens(conn, date=now.date(), realm_id=realm_id, invalid=1)
    q.add_app_counts(conn, date=now.date(), app_id=app_id, tokens_invalid=1)


def chaff_seen(conn: psycopg.Connection, *, realm_id: int, date: dt.date) -> None:
    """Record that the realm received chaff on ``date``."""
    q.record_chaff_event(conn, realm_id=realm_id, date=date)
