"""The device API's hot-path claim statements (protocol §4.1, §4.2, §11).

Each success path is as few round trips as possible: a conditional UPDATE
both checks and claims (it row-locks, so a concurrent claimer re-checks the
row after the first one commits and finds nothing), and the token row and
the day's counters ride in the same statement. When a conditional claim
matches nothing, callers fall back to a locking read that says exactly why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import psycopg

from db.arrays import array_literal
from db.queries.codes.core import CODE_PROBE, CodeRow
from db.queries.realms.apikeys import KEY_IS_CURRENT
from db.queries.stats.counters import REALM_ARRAY_ADD, STATS_SHARD

_RETURNED = ", ".join(f"v.{field.name}" for field in dataclasses.fields(CodeRow))

# Counter upserts fed by a CTE named ``claimed``; %(day)s/%(realm_id)s/%(app_id)s.
_APP_UPSERT = (
    "INSERT INTO authorized_app_stats (date, authorized_app_id, shard, {col})"
    " SELECT %(day)s, %(app_id)s, " + STATS_SHARD + ", 1 FROM claimed"
    " ON CONFLICT (date, authorized_app_id, shard) DO UPDATE SET"
    " {col} = authorized_app_stats.{col} + 1"
)


# The token row of a claimed code and the claim's counters (realm and key),
# as CTEs after ``claimed``; the caller supplies ``claimed`` (the token INSERT).
_TOKEN_INSERT = (
    "INSERT INTO tokens (realm_id, token_id, test_type, symptom_date, test_date,"
    " expires_at, authorized_app_id, from_user_report, created_at, updated_at)"
)
_TOKEN_VALUES = (
    "%(realm_id)s, %(token_id)s, %(test_type)s, %(symptom_date)s, %(test_date)s,"
    " %(expires_at)s, %(app_id)s, %(ur)s, %(now)s, %(now)s"
)
_COUNT_CLAIM = (
    " realm AS (INSERT INTO realm_stats (date, realm_id, shard, codes_claimed,"
    " user_reports_claimed, code_claim_age_distribution, code_claim_mean_age)"
    " SELECT %(day)s, %(realm_id)s, " + STATS_SHARD + ", 1, %(ur)s::int,"
    " %(buckets)s::integer[], %(age)s FROM claimed"
    " ON CONFLICT (date, realm_id, shard) DO UPDATE SET"
    # SET reads the old row: the mean uses this shard's count before the claim.
    " code_claim_mean_age = (realm_stats.code_claim_mean_age"
    " * realm_stats.codes_claimed + EXCLUDED.code_claim_mean_age)"
    " / (realm_stats.codes_claimed + 1),"
    " codes_claimed = realm_stats.codes_claimed + 1,"
    " user_reports_claimed = realm_stats.user_reports_claimed"
    " + EXCLUDED.user_reports_claimed,"
    " code_claim_age_distribution = "
    + REALM_ARRAY_ADD.format(col="code_claim_age_distribution")
    + "), app AS ("
    + _APP_UPSERT.format(col="codes_claimed")
    + ")"
)


@dataclasses.dataclass(frozen=True)
class NewToken:
    """The token row written for a claimed code, with the claim's counters."""

    realm_id: int
    app_id: int
    token_id: str
    test_type: str
    symptom_date: dt.date | None
    test_date: dt.date | None
    expires_at: dt.datetime
    from_user_report: bool
    day: dt.date
    age_seconds: int
    age_buckets: list[int]
    now: dt.datetime

    def params(self) -> dict:
        """Return the statement parameters of the token and its counters."""
        return {
            "realm_id": self.realm_id,
            "app_id": self.app_id,
            "token_id": self.token_id,
            "test_type": self.test_type,
            "symptom_date": self.symptom_date,
            "test_date": self.test_date,
            "expires_at": self.expires_at,
            "ur": self.from_user_report,
            "day": self.day,
            "age": self.age_seconds,
            "buckets": array_literal(self.age_buckets),
            "now": self.now,
        }


def find_claimable_code(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    app_id: int,
    key_version: str | None,
    hmacs: list[str],
    accepted: list[str],
    now: dt.datetime,
) -> tuple[bool, tuple[CodeRow, bool] | None]:
    """Return (key current, (claimable plain code, long code matched) or None).

    Reads without locking: :func:`claim_code_with_token` re-checks the row.
    The caller's cached API key is checked in the same round trip (see
    KEY_IS_CURRENT); no code is returned for a key that changed.
    """
    row = conn.execute(
        f"SELECT key.ok, c.* FROM (SELECT {KEY_IS_CURRENT} AS ok) key"
        f" LEFT JOIN (SELECT {_RETURNED}, probe.long_matched FROM {CODE_PROBE} probe"
        " JOIN verification_codes v ON v.id = probe.id"
        " WHERE NOT v.claimed AND v.user_report_id IS NULL"
        " AND v.test_type = ANY(%(accepted)s::text[])"
        " AND CASE WHEN probe.long_matched THEN v.long_expires_at"
        " ELSE v.expires_at END > %(now)s) c ON key.ok",
        {
            "realm_id": realm_id,
            "app_id": app_id,
            "key_version": key_version,
            "hmacs": array_literal(hmacs),
            "accepted": array_literal(accepted),
            "now": now,
        },
    ).fetchone()
    if row[1] is None:
        return row[0], None
    return row[0], (CodeRow(*row[1:-1]), row[-1])


def claim_code_with_token(
    conn: psycopg.Connection, *, code_id: int, long_matched: bool, token: NewToken
) -> bool:
    """Claim a code found by :func:`find_claimable_code`, write its token, count.

    One autocommit statement: all of it or nothing. False when the code was
    claimed, expired or changed meanwhile (nothing is written then).
    """
    return (
        conn.execute(
            "WITH code AS (UPDATE verification_codes SET claimed = true,"
            " updated_at = %(now)s WHERE id = %(code_id)s AND NOT claimed"
            " AND user_report_id IS NULL AND CASE WHEN %(long)s THEN long_expires_at"
            " ELSE expires_at END > %(now)s RETURNING id),"
            f" claimed AS ({_TOKEN_INSERT} SELECT {_TOKEN_VALUES} FROM code"
            f" RETURNING id),{_COUNT_CLAIM} SELECT count(*) FROM claimed",
            {**token.params(), "code_id": code_id, "long": long_matched},
        ).fetchone()[0]
        == 1
    )


def insert_token_counting_claim(conn: psycopg.Connection, token: NewToken) -> None:
    """Insert the token of a claimed code and count the claim (realm and key)."""
    conn.execute(
        f"WITH claimed AS ({_TOKEN_INSERT} VALUES ({_TOKEN_VALUES}) RETURNING id),"
        f"{_COUNT_CLAIM} SELECT 1",
        token.params(),
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
    key_version: str | None = None,
) -> tuple[bool, bool | None]:
    """Use a live, matching token and count it; return (key current, from_user_report).

    ``from_user_report`` None means nothing was claimed (unknown, expired,
    used or mismatched, or the caller's cached API key changed: see
    KEY_IS_CURRENT).
    """
    row = conn.execute(
        f"WITH key AS (SELECT {KEY_IS_CURRENT} AS ok),"
        " claimed AS (UPDATE tokens SET used = true, updated_at = %(now)s"
        " WHERE (SELECT ok FROM key) AND token_id = %(token_id)s"
        " AND realm_id = %(realm_id)s"
        " AND deleted_at IS NULL AND NOT used AND expires_at > %(now)s"
        " AND test_type = %(test_type)s"
        " AND (symptom_date AT TIME ZONE 'UTC')::date"
        " IS NOT DISTINCT FROM %(symptom_date)s::date"
        " AND (test_date AT TIME ZONE 'UTC')::date"
        " IS NOT DISTINCT FROM %(test_date)s::date"
        " RETURNING from_user_report),"
        " realm AS (INSERT INTO realm_stats (date, realm_id, shard, tokens_claimed,"
        " user_report_tokens_claimed)"
        f" SELECT %(day)s, %(realm_id)s, {STATS_SHARD}, 1, from_user_report::int"
        " FROM claimed ON CONFLICT (date, realm_id, shard) DO UPDATE SET"
        " tokens_claimed = realm_stats.tokens_claimed + 1,"
        " user_report_tokens_claimed = realm_stats.user_report_tokens_claimed"
        " + EXCLUDED.user_report_tokens_claimed),"
        " app AS ("
        + _APP_UPSERT.format(col="tokens_claimed")
        + ") SELECT key.ok, claimed.from_user_report FROM key"
        " LEFT JOIN claimed ON true",
        {
            "realm_id": realm_id,
            "app_id": app_id,
            "key_version": key_version,
            "token_id": token_id,
            "test_type": test_type,
            "symptom_date": symptom_date,
            "test_date": test_date,
            "day": day,
            "now": now,
        },
    ).fetchone()
    return row[0], row[1]
