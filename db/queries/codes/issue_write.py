"""The issue path's writes: codes, their stats counters and audit entries.

Each call is ONE statement (data-modifying CTEs), because round trips
dominate the cost of issuing: a batch of ten codes is a single statement.
Codes that collide on any unique index are skipped (``ON CONFLICT DO
NOTHING``) and reported back, so the caller can retry or explain them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import psycopg

from db.arrays import array_literal
from db.queries.realms.apikeys import KEY_IS_CURRENT
from db.queries.stats.counters import STATS_SHARD


@dataclass(frozen=True)
class CodeInput:
    """One code to insert (``code``/``long_code`` are HMACs)."""

    code: str
    long_code: str
    uuid: str | None
    test_type: str
    symptom_date: dt.date | None
    test_date: dt.date | None
    expires_at: dt.datetime
    long_expires_at: dt.datetime
    external_issuer_id: str
    user_report_id: int | None
    record: bool  # count and audit it now


@dataclass(frozen=True)
class Issuing:
    """Who issues and when (shared by every code of one call)."""

    realm_id: int
    app_id: int | None
    user_id: int | None
    actor_id: str
    actor_display: str
    day: dt.date
    now: dt.datetime


_COUNTERS_AND_AUDIT = """
realm_c AS (
  INSERT INTO realm_stats (date, realm_id, shard, codes_issued, user_reports_issued)
  SELECT %(day)s, %(realm_id)s, {shard}, count(*), count(*) FILTER (WHERE r.ur)
  FROM {rows} r WHERE r.record HAVING count(*) > 0
  ON CONFLICT (date, realm_id, shard) DO UPDATE SET
    codes_issued = realm_stats.codes_issued + EXCLUDED.codes_issued,
    user_reports_issued = realm_stats.user_reports_issued
      + EXCLUDED.user_reports_issued
),
app_c AS (
  INSERT INTO authorized_app_stats (date, authorized_app_id, shard, codes_issued)
  SELECT %(day)s, %(app_id)s, {shard}, count(*) FROM {rows} r
  WHERE r.record AND %(app_id)s::integer IS NOT NULL HAVING count(*) > 0
  ON CONFLICT (date, authorized_app_id, shard) DO UPDATE SET
    codes_issued = authorized_app_stats.codes_issued + EXCLUDED.codes_issued
),
user_c AS (
  INSERT INTO user_stats (date, realm_id, user_id, codes_issued)
  SELECT %(day)s, %(realm_id)s, %(user_id)s, count(*) FROM {rows} r
  WHERE r.record AND %(user_id)s::integer IS NOT NULL HAVING count(*) > 0
  ON CONFLICT (date, realm_id, user_id) DO UPDATE SET
    codes_issued = user_stats.codes_issued + EXCLUDED.codes_issued
),
issuer_c AS (
  INSERT INTO external_issuer_stats (date, realm_id, issuer_id, codes_issued)
  SELECT %(day)s, %(realm_id)s, r.external, count(*) FROM {rows} r
  WHERE r.record AND r.external <> '' GROUP BY r.external
  ON CONFLICT (date, issuer_id, realm_id) DO UPDATE SET
    codes_issued = external_issuer_stats.codes_issued + EXCLUDED.codes_issued
),
au AS (
  INSERT INTO audit_entries
    (realm_id, actor_id, actor_display, action, target_id, target_display)
  SELECT %(realm_id)s, %(actor_id)s, %(actor_display)s, 'issued verification code',
         'verification_codes:' || r.id, r.uuid::text
  FROM {rows} r WHERE r.record
)
"""

_INSERT = (
    "WITH key AS (SELECT "
    + KEY_IS_CURRENT
    + """ AS ok),
input AS (
  SELECT * FROM unnest(
    %(ord)s::int[], %(code)s::text[], %(long_code)s::text[], %(uuid)s::uuid[],
    %(test_type)s::text[], %(symptom)s::timestamptz[], %(tested)s::timestamptz[],
    %(expires)s::timestamptz[], %(long_expires)s::timestamptz[],
    %(external)s::text[], %(report)s::bigint[], %(record)s::bool[]
  ) AS t(ord, code, long_code, uuid, test_type, symptom, tested, expires,
         long_expires, external, report, record)
),
ins AS (
  INSERT INTO verification_codes (realm_id, code, long_code, uuid, test_type,
    symptom_date, test_date, expires_at, long_expires_at, issuing_user_id,
    issuing_app_id, issuing_external_id, user_report_id, created_at, updated_at)
  SELECT %(realm_id)s, code, long_code, coalesce(uuid, gen_random_uuid()),
    test_type, symptom, tested, expires, long_expires, %(user_id)s, %(app_id)s,
    external, report, %(now)s, %(now)s
  FROM input WHERE (SELECT ok FROM key) ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING id, uuid, code
),
matched AS (
  SELECT i.ord, ins.id, ins.uuid, i.record, i.external,
         i.test_type = 'user-report' AS ur
  FROM ins JOIN input i ON i.code = ins.code
),
"""
    + _COUNTERS_AND_AUDIT.format(rows="matched", shard=STATS_SHARD)
    + "SELECT key.ok, m.ord, m.id, m.uuid FROM key LEFT JOIN matched m ON true"
)

_RECORD = (
    """
WITH picked AS (
  SELECT c.id, c.uuid, c.issuing_external_id AS external,
         c.test_type = 'user-report' AS ur, true AS record
  FROM verification_codes c WHERE c.id = ANY(%(ids)s)
),
"""
    + _COUNTERS_AND_AUDIT.format(rows="picked", shard=STATS_SHARD)
    + "SELECT count(*) FROM picked"
)


def _params(issuing: Issuing) -> dict:
    return {
        "realm_id": issuing.realm_id,
        "app_id": issuing.app_id,
        "user_id": issuing.user_id,
        "actor_id": issuing.actor_id,
        "actor_display": issuing.actor_display,
        "day": issuing.day,
        "now": issuing.now,
    }


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(), dt.UTC) if day else None


def insert_codes(
    conn: psycopg.Connection,
    issuing: Issuing,
    codes: list[CodeInput],
    key_version: str | None = None,
) -> tuple[bool, dict[int, tuple[int, UUID]]]:
    """Insert codes; return (key current, {index: (id, uuid)} of those stored).

    With ``key_version`` (a cached API key's), nothing is inserted unless
    the issuing key is unchanged (KEY_IS_CURRENT), checked in this statement.
    """
    params = _params(issuing)
    params.update(
        key_version=key_version,
        ord=array_literal(range(len(codes))),
        code=array_literal(c.code for c in codes),
        long_code=array_literal(c.long_code for c in codes),
        uuid=array_literal(c.uuid for c in codes),
        test_type=array_literal(c.test_type for c in codes),
        symptom=array_literal(_midnight(c.symptom_date) for c in codes),
        tested=array_literal(_midnight(c.test_date) for c in codes),
        expires=array_literal(c.expires_at for c in codes),
        long_expires=array_literal(c.long_expires_at for c in codes),
        external=array_literal(c.external_issuer_id for c in codes),
        report=array_literal(c.user_report_id for c in codes),
        record=array_literal(c.record for c in codes),
    )
    rows = conn.execute(_INSERT, params).fetchall()
    stored = {row[1]: (row[2], row[3]) for row in rows if row[1] is not None}
    return rows[0][0], stored


def record_issued(conn: psycopg.Connection, issuing: Issuing, ids: list[int]) -> int:
    """Count codes stored earlier (their SMS went out) and audit them."""
    if not ids:
        return 0
    return conn.execute(_RECORD, {**_params(issuing), "ids": ids}).fetchone()[0]


def delete_codes(conn: psycopg.Connection, ids: list[int]) -> int:
    """Delete codes (their SMS could not be sent) and their user reports."""
    if not ids:
        return 0
    return conn.execute(
        "WITH gone AS (DELETE FROM verification_codes WHERE id = ANY(%(ids)s)"
        " RETURNING user_report_id)"
        " DELETE FROM user_reports WHERE id IN (SELECT user_report_id FROM gone)",
        {"ids": ids},
    ).rowcount


def uuid_owner(conn: psycopg.Connection, uuid: str) -> int | None:
    """Return the realm of the code holding ``uuid``, if any."""
    row = conn.execute(
        "SELECT realm_id FROM verification_codes WHERE uuid = %(uuid)s::uuid",
        {"uuid": uuid},
    ).fetchone()
    return row[0] if row else None
