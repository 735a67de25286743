"""Issue-side counters (protocol §11) by UTC date.

Issuing writes one ``issue_stat_events`` row per code in its own
transaction (see ``issue_write``); :func:`fold_issue_events` moves those
events into the per-day counter tables in one statement.
"""

from __future__ import annotations

import datetime as dt

import psycopg

_FOLD = """
WITH gate AS (
  -- One folder at a time; the others skip instead of queueing on row locks.
  SELECT pg_try_advisory_xact_lock(hashtext('encv-issue-stat-fold')) AS mine
),
moved AS (
  DELETE FROM issue_stat_events WHERE (SELECT mine FROM gate) RETURNING *
),
realm AS (
  INSERT INTO realm_stats (date, realm_id, codes_issued, user_reports_issued)
  SELECT date, realm_id, count(*), count(*) FILTER (WHERE user_report)
  FROM moved GROUP BY date, realm_id
  ON CONFLICT (date, realm_id) DO UPDATE SET
    codes_issued = realm_stats.codes_issued + EXCLUDED.codes_issued,
    user_reports_issued = realm_stats.user_reports_issued
      + EXCLUDED.user_reports_issued
),
apps AS (
  INSERT INTO authorized_app_stats (date, authorized_app_id, codes_issued)
  SELECT date, authorized_app_id, count(*) FROM moved
  WHERE authorized_app_id IS NOT NULL GROUP BY date, authorized_app_id
  ON CONFLICT (date, authorized_app_id) DO UPDATE SET
    codes_issued = authorized_app_stats.codes_issued + EXCLUDED.codes_issued
),
people AS (
  INSERT INTO user_stats (date, realm_id, user_id, codes_issued)
  SELECT date, realm_id, user_id, count(*) FROM moved
  WHERE user_id IS NOT NULL GROUP BY date, realm_id, user_id
  ON CONFLICT (date, realm_id, user_id) DO UPDATE SET
    codes_issued = user_stats.codes_issued + EXCLUDED.codes_issued
),
issuers AS (
  INSERT INTO external_issuer_stats (date, realm_id, issuer_id, codes_issued)
  SELECT date, realm_id, external_issuer_id, count(*) FROM moved
  WHERE external_issuer_id <> '' GROUP BY date, realm_id, external_issuer_id
  ON CONFLICT (date, issuer_id, realm_id) DO UPDATE SET
    codes_issued = external_issuer_stats.codes_issued + EXCLUDED.codes_issued
)
SELECT count(*) FROM moved
"""


def fold_issue_events(conn: psycopg.Connection) -> int:
    """Move pending issue events into the counter tables; return how many."""
    return conn.execute(_FOLD).fetchone()[0]


def count_sms_error(
    conn: psycopg.Connection, *, day: dt.date, realm_id: int, error_code: str
) -> None:
    """Add one provider error to a realm's day."""
    conn.execute(
        "INSERT INTO sms_error_stats (date, realm_id, error_code, quantity)"
        " VALUES (%(day)s, %(realm_id)s, %(code)s, 1)"
        " ON CONFLICT (realm_id, date, error_code) DO UPDATE SET"
        " quantity = sms_error_stats.quantity + 1",
        {"day": day, "realm_id": realm_id, "code": error_code},
    )
