"""A week of statistics for a realm, written the way the servers write them.

Invalid codes and tokens go through ``models.stats.counters`` and SMS errors
through ``db.queries.codes.issue_stats``; the issue and claim counters,
which the servers write inside their issue/claim statements, are upserted
into the same tables with the same arithmetic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import psycopg

from db.queries.codes.issue_stats import count_sms_error
from models.stats import counters
from models.stats.counters import OperatingSystem, claim_age_buckets

DAYS = 7


@dataclass
class Seeded:
    """What was written, to compare the exports with."""

    realm_id: int
    user_id: int
    app_id: int
    days: list[dt.date] = field(default_factory=list)
    codes_issued: int = 0
    codes_claimed: int = 0
    codes_invalid: int = 0
    tokens_claimed: int = 0
    user_codes: int = 0
    issuer_codes: int = 0
    sms_errors: int = 0


def demo_ids(conn: psycopg.Connection, realm_id: int) -> tuple[int, int]:
    """Return (realm admin user id, device API key id) of the demo realm."""
    user_id = conn.execute(
        "SELECT user_id FROM memberships WHERE realm_id = %s ORDER BY user_id LIMIT 1",
        (realm_id,),
    ).fetchone()[0]
    app_id = conn.execute(
        "SELECT id FROM authorized_apps WHERE realm_id = %s AND api_key_type = 0"
        " ORDER BY id LIMIT 1",
        (realm_id,),
    ).fetchone()[0]
    return user_id, app_id


def _issue(conn, day, realm_id, user_id, issued, user_reports, issuer) -> None:
    conn.execute(
        "INSERT INTO realm_stats (date, realm_id, codes_issued, user_reports_issued)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (date, realm_id, shard) DO UPDATE SET"
        " codes_issued = realm_stats.codes_issued + EXCLUDED.codes_issued,"
        " user_reports_issued = realm_stats.user_reports_issued"
        " + EXCLUDED.user_reports_issued",
        (day, realm_id, issued, user_reports),
    )
    conn.execute(
        "INSERT INTO user_stats (date, realm_id, user_id, codes_issued)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (date, realm_id, user_id) DO UPDATE"
        " SET codes_issued = user_stats.codes_issued + EXCLUDED.codes_issued",
        (day, realm_id, user_id, issued - 1),
    )
    conn.execute(
        "INSERT INTO external_issuer_stats (date, realm_id, issuer_id, codes_issued)"
        " VALUES (%s, %s, %s, 1)",
        (day, realm_id, issuer),
    )


def _claim(conn, day, realm_id, age_seconds) -> None:
    conn.execute(
        "INSERT INTO realm_stats (date, realm_id, codes_claimed,"
        " code_claim_age_distribution, code_claim_mean_age)"
        " VALUES (%s, %s, 1, %s, %s) ON CONFLICT (date, realm_id, shard) DO UPDATE SET"
        " code_claim_mean_age = (realm_stats.code_claim_mean_age"
        " * realm_stats.codes_claimed + EXCLUDED.code_claim_mean_age)"
        " / (realm_stats.codes_claimed + 1),"
        " codes_claimed = realm_stats.codes_claimed + 1,"
        " code_claim_age_distribution = ARRAY(SELECT coalesce(a, 0) + coalesce(b, 0)"
        " FROM unnest(realm_stats.code_claim_age_distribution,"
        " EXCLUDED.code_claim_age_distribution) AS t(a, b))",
        (day, realm_id, claim_age_buckets(age_seconds), age_seconds),
    )


def seed_week(
    conn: psycopg.Connection, realm_id: int, today: dt.date, *, issuer: str = "lab-1"
) -> Seeded:
    """Write seven days of activity ending ``today``; return the totals."""
    user_id, app_id = demo_ids(conn, realm_id)
    seeded = Seeded(realm_id, user_id, app_id)
    for n in range(DAYS):
        day = today - dt.timedelta(days=n)
        noon = dt.datetime.combine(day, dt.time(12), dt.UTC)
        issued = 4 + n
        _issue(conn, day, realm_id, user_id, issued, 1, issuer)
        for age in (45, 600, 5400)[: 1 + n % 3]:
            _claim(conn, day, realm_id, age)
            counters.token_claimed(
                conn, now=noon, realm_id=realm_id, app_id=app_id, user_report=False
            )
            seeded.codes_claimed += 1
            seeded.tokens_claimed += 1
        counters.code_invalid(
            conn,
            now=noon,
            realm_id=realm_id,
            app_id=app_id,
            os_kind=OperatingSystem(n % 3),
            bad_nonce=n % 2 == 0,
        )
        count_sms_error(conn, day=day, realm_id=realm_id, error_code="30003")
        seeded.days.append(day)
        seeded.codes_issued += issued
        seeded.codes_invalid += 1
        seeded.user_codes += issued - 1
        seeded.issuer_codes += 1
        seeded.sms_errors += 1
    return seeded
