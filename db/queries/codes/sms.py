"""Queries on SMS provider configurations and SMS signing keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class SmsConfigRow:
    """A Twilio-compatible provider configuration (token still sealed)."""

    id: int
    realm_id: int | None
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_from_number: str
    twilio_user_report_from_number: str
    is_system: bool


@dataclass(frozen=True)
class SmsSigningKeyRow:
    """An SMS signing key: ``key_id`` names a key version in the key store."""

    id: int
    realm_id: int
    key_id: str
    active: bool
    created_at: dt.datetime


_CONFIG = (
    "SELECT id, realm_id, twilio_account_sid, twilio_auth_token, twilio_from_number,"
    " twilio_user_report_from_number, is_system FROM sms_configs"
    " WHERE deleted_at IS NULL"
)


def get_realm_sms_config(
    conn: psycopg.Connection, *, realm_id: int
) -> SmsConfigRow | None:
    """Return the realm's own SMS configuration."""
    with conn.cursor(row_factory=class_row(SmsConfigRow)) as cur:
        return cur.execute(
            _CONFIG + " AND realm_id = %(realm_id)s AND NOT is_system",
            {"realm_id": realm_id},
        ).fetchone()


def get_system_sms_config(conn: psycopg.Connection) -> SmsConfigRow | None:
    """Return the system-wide SMS configuration."""
    with conn.cursor(row_factory=class_row(SmsConfigRow)) as cur:
        return cur.execute(_CONFIG + " AND is_system").fetchone()


def get_sms_from_number(conn: psycopg.Connection, *, number_id: int) -> str | None:
    """Return the value of a system sender number."""
    row = conn.execute(
        "SELECT value FROM sms_from_numbers WHERE id = %(id)s", {"id": number_id}
    ).fetchone()
    return row[0] if row else None


def upsert_realm_sms_config(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    account_sid: str,
    sealed_auth_token: str,
    from_number: str,
    user_report_from_number: str = "",
) -> int:
    """Create or replace a realm's SMS configuration; return its id."""
    return conn.execute(
        "INSERT INTO sms_configs (realm_id, twilio_account_sid, twilio_auth_token,"
        " twilio_from_number, twilio_user_report_from_number)"
        " VALUES (%(realm_id)s, %(sid)s, %(token)s, %(from)s, %(ur_from)s)"
        " ON CONFLICT (realm_id) DO UPDATE SET"
        " twilio_account_sid = EXCLUDED.twilio_account_sid,"
        " twilio_auth_token = EXCLUDED.twilio_auth_token,"
        " twilio_from_number = EXCLUDED.twilio_from_number,"
        " twilio_user_report_from_number = EXCLUDED.twilio_user_report_from_number,"
        " deleted_at = NULL, updated_at = now() RETURNING id",
        {
            "realm_id": realm_id,
            "sid": account_sid,
            "token": sealed_auth_token,
            "from": from_number,
            "ur_from": user_report_from_number,
        },
    ).fetchone()[0]


def active_sms_signing_key(
    conn: psycopg.Connection, *, realm_id: int
) -> SmsSigningKeyRow | None:
    """Return the realm's active SMS signing key."""
    with conn.cursor(row_factory=class_row(SmsSigningKeyRow)) as cur:
        return cur.execute(
            "SELECT id, realm_id, key_id, active, created_at FROM sms_signing_keys"
            " WHERE realm_id = %(realm_id)s AND active AND deleted_at IS NULL",
            {"realm_id": realm_id},
        ).fetchone()


def insert_sms_signing_key(
    conn: psycopg.Connection, *, realm_id: int, key_id: str, active: bool
) -> int:
    """Record an SMS signing key version for a realm; return its row id."""
    return conn.execute(
        "INSERT INTO sms_signing_keys (realm_id, key_id, active)"
        " VALUES (%(realm_id)s, %(key_id)s, %(active)s) RETURNING id",
        {"realm_id": realm_id, "key_id": key_id, "active": active},
    ).fetchone()[0]
