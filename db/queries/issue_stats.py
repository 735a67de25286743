"""Counters written when codes are issued (protocol §11), by UTC date.

Each is an upsert, so the first code of a day creates the row; callers run
them in the same transaction as the code insert.
"""

from __future__ import annotations

import datetime as dt

import psycopg


def count_realm_issue(
    conn: psycopg.Connection, *, day: dt.date, realm_id: int, user_reports: int = 0
) -> None:
    """Add one issued code (and ``user_reports`` user reports) to a realm's day."""
    conn.execute(
        "INSERT INTO realm_stats (date, realm_id, codes_issued, user_reports_issued)"
        " VALUES (%(day)s, %(realm_id)s, 1, %(ur)s)"
        " ON CONFLICT (date, realm_id) DO UPDATE SET"
        " codes_issued = realm_stats.codes_issued + 1,"
        " user_reports_issued = realm_stats.user_reports_issued + %(ur)s",
        {"day": day, "realm_id": realm_id, "ur": user_reports},
    )


def count_app_issue(conn: psycopg.Connection, *, day: dt.date, app_id: int) -> None:
    """Add one issued code to an API key's day."""
    conn.execute(
        "INSERT INTO authorized_app_stats (date, authorized_app_id, codes_issued)"
        " VALUES (%(day)s, %(app_id)s, 1)"
        " ON CONFLICT (date, authorized_app_id) DO UPDATE SET"
        " codes_issued = authorized_app_stats.codes_issued + 1",
        {"day": day, "app_id": app_id},
    )


def count_user_issue(
    conn: psycopg.Connection, *, day: dt.date, realm_id: int, user_id: int
) -> None:
    """Add one issued code to a signed-in user's day in a realm."""
    conn.execute(
        "INSERT INTO user_stats (date, realm_id, user_id, codes_issued)"
        " VALUES (%(day)s, %(realm_id)s, %(user_id)s, 1)"
        " ON CONFLICT (date, realm_id, user_id) DO UPDATE SET"
        " codes_issued = user_stats.codes_issued + 1",
        {"day": day, "realm_id": realm_id, "user_id": user_id},
    )


def count_external_issue(
    conn: psycopg.Connection, *, day: dt.date, realm_id: int, issuer_id: str
) -> None:
    """Add one issued code to an external issuer's day."""
    conn.execute(
        "INSERT INTO external_issuer_stats (date, realm_id, issuer_id, codes_issued)"
        " VALUES (%(day)s, %(realm_id)s, %(issuer)s, 1)"
        " ON CONFLICT (date, issuer_id, realm_id) DO UPDATE SET"
        " codes_issued = external_issuer_stats.codes_issued + 1",
        {"day": day, "realm_id": realm_id, "issuer": issuer_id},
    )


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
