"""Issue-side counters (protocol §11) kept outside the issue statement.

The codes-issued counters are written by the issue statement itself (see
``issue_write``); provider errors are counted here, after the failed
transaction.
"""

from __future__ import annotations

import datetime as dt

import psycopg


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
