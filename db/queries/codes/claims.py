"""The device API's hot-path claim statements (protocol §4.1, §4.2, §11).

Each success path is as few round trips as possible: the conditional UPDATE
both checks and claims (it row-locks, so a concurrent claimer re-checks and
finds nothing), and the token row and the day's counters ride in one
statement. When a conditional claim matches nothing, callers fall back to a
locking read that says exactly why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import psycopg
from psycopg.rows import class_row

from db.queries.codes.core import CODE_PROBE, CodeRow
from db.queries.stats.counters import REALM_ARRAY_ADD

CODE_COLUMNS = ", ".join(field.name for field in dataclasses.fields(CodeRow))
_RETURNED = ", ".join(f"v.{field.name}" for field in dataclasses.fields(CodeRow))

# Counter upserts fed by a CTE named ``claimed``; %(day)s/%(realm_id)s/%(app_id)s.
_APP_UPSERT = (
    "INSERT INTO authorized_app_stats (date, authorized_app_id, {col})"
    " SELECT %(day)s, %(app_id)s, 1 FROM claimed"
    " ON CONFLICT (date, authorized_app_id) DO UPDATE SET"
    " {col} = authorized_app_stats.{col} + 1"
)


def claim_code(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    hmacs: list[str],
    accepted: list[str],
    now: dt.datetime,
) -> CodeRow | None:
    """Claim a plain (non user-report) code that is valid now; return it.

    The applicable expiry is the long one only when the long code matched.
    None means "not claimable": unknown, expired, used, wrong type or a
    user-report code; the caller finds out which.
    """
    # The conditions are on the updated row itself, so a concurrent claimer
    # or expirer that locked it first is seen when the lock is released.
    with conn.cursor(row_factory=class_row(CodeRow)) as cur:
        return cur.execute(
            "UPDATE verification_codes v SET claimed = true, updated_at = %(now)s"
            f" FROM {CODE_PROBE} probe WHERE v.id = probe.id"
            " AND NOT v.claimed AND v.user_report_id IS NULL"
            " AND v.test_type = ANY(%(accepted)s)"
            " AND CASE WHEN probe.long_matched THEN v.long_expires_at"
            " ELSE v.expires_at END > %(now)s"
            f" RETURNING {_RETURNED}",
            {"realm_id": realm_id, "hmacs": hmacs, "accepted": accepted, "now": now},
        ).fetchone()


def insert_token_counting_claim(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    app_id: int,
    token_id: str,
    test_type: str,
    symptom_date: dt.date | None,
    test_date: dt.date | None,
    expires_at: dt.datetime,
    from_user_report: bool,
    day: dt.date,
    age_seconds: int,
    age_buckets: list[int],
    now: dt.datetime,
) -> None:
    """Insert the token of a claimed code and count the claim (realm and key)."""
    conn.execute(
        "WITH claimed AS (INSERT INTO tokens (realm_id, token_id, test_type,"
        " symptom_date, test_date, expires_at, authorized_app_id, from_user_report,"
        " created_at, updated_at) VALUES (%(realm_id)s, %(token_id)s, %(test_type)s,"
        " %(symptom_date)s, %(test_date)s, %(expires_at)s, %(app_id)s, %(ur)s,"
        " %(now)s, %(now)s) RETURNING id),"
        " realm AS (INSERT INTO realm_stats (date, realm_id, codes_claimed,"
        " user_reports_claimed, code_claim_age_distribution, code_claim_mean_age)"
        " SELECT %(day)s, %(realm_id)s, 1, %(ur)s::int, %(buckets)s, %(age)s"
        " FROM claimed ON CONFLICT (date, realm_id) DO UPDATE SET"
        # SET reads the old row: the mean uses the count before this claim.
        " code_claim_mean_age = (realm_stats.code_claim_mean_age"
        " * realm_stats.codes_claimed + EXCLUDED.code_claim_mean_age)"
        " / (realm_stats.codes_claimed + 1),"
        " codes_claimed = realm_stats.codes_claimed + 1,"
        " user_reports_claimed = realm_stats.user_reports_claimed"
        " + EXCLUDED.user_reports_claimed,"
        " code_claim_age_distribution = "
        + REALM_ARRAY_ADD.format(col="code_claim_age_distribution")
        + ")"
        + _APP_UPSERT.format(col="codes_claimed"),
        {
            "realm_id": realm_id,
            "app_id": app_id,
            "token_id": token_id,
            "test_type": test_type,
            "symptom_date": symptom_date,
            "test_date": test_date,
            "expires_at": expires_at,
            "ur": from_user_report,
            "day": day,
            "age": age_seconds,
            "buckets": age_buckets,
            "now": now,
        },
    )


def claim_token(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    app_id: int,
    token_id: str,
    test_type: str,
    symptom_date: dt.date | None,
    test_date: dt.date | None,
    day: dt.date,
    now: dt.datetime,
) -> bool | None:
    """Use a live, matching token and count it; return ``from_user_report``.

    None means nothing was claimed (unknown, expired, used or mismatched).
    """
    row = conn.execute(
        "WITH claimed AS (UPDATE tokens SET used = true, updated_at = %(now)s"
        " WHERE token_id = %(token_id)s AND realm_id = %(realm_id)s"
        " AND deleted_at IS NULL AND NOT used AND expires_at > %(now)s"
        " AND test_type = %(test_type)s"
        " AND (symptom_date AT TIME ZONE 'UTC')::date"
        " IS NOT DISTINCT FROM %(symptom_date)s::date"
        " AND (test_date AT TIME ZONE 'UTC')::date"
        " IS NOT DISTINCT FROM %(test_date)s::date"
        " RETURNING from_user_report),"
        " realm AS (INSERT INTO realm_stats (date, realm_id, tokens_claimed,"
        " user_report_tokens_claimed)"
        " SELECT %(day)s, %(realm_id)s, 1, from_user_report::int FROM claimed"
        " ON CONFLICT (date, realm_id) DO UPDATE SET"
        " tokens_claimed = realm_stats.tokens_claimed + 1,"
        " user_report_tokens_claimed = realm_stats.user_report_tokens_claimed"
        " + EXCLUDED.user_report_tokens_claimed),"
        " app AS ("
        + _APP_UPSERT.format(col="tokens_claimed")
        + ") SELECT from_user_report FROM claimed",
        {
            "realm_id": realm_id,
            "app_id": app_id,
            "token_id": token_id,
            "test_type": test_type,
            "symptom_date": symptom_date,
            "test_date": test_date,
            "day": day,
            "now": now,
        },
    ).fetchone()
    return row[0] if row else None
