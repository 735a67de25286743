"""Queries on the system SMS config and its shared sender numbers."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class FromNumber:
    """A labelled sender number realms may pick when using the system config."""

    id: int
    label: str
    value: str


def upsert_system_sms_config(
    conn: psycopg.Connection, *, account_sid: str, sealed_token: str
) -> None:
    """Create or replace the system Twilio account (token already sealed)."""
    updated = conn.execute(
        "UPDATE sms_configs SET twilio_account_sid = %(sid)s,"
        " twilio_auth_token = %(token)s, twilio_from_number = '',"
        " deleted_at = NULL, updated_at = now() WHERE is_system",
        {"sid": account_sid, "token": sealed_token},
    ).rowcount
    if not updated:
        conn.execute(
            "INSERT INTO sms_configs (is_system, provider_type, twilio_account_sid,"
            " twilio_auth_token) VALUES (true, 'twilio', %(sid)s, %(token)s)",
            {"sid": account_sid, "token": sealed_token},
        )


def delete_system_sms_config(conn: psycopg.Connection) -> int:
    """Delete the system SMS config and stop every realm from using it."""
    deleted = conn.execute("DELETE FROM sms_configs WHERE is_system").rowcount
    conn.execute(
        "UPDATE realms SET can_use_system_sms_config = false,"
        " use_system_sms_config = false, updated_at = now()"
        " WHERE can_use_system_sms_config OR use_system_sms_config"
    )
    return deleted


def list_from_numbers(conn: psycopg.Connection) -> list[FromNumber]:
    """Return every system sender number by label."""
    with conn.cursor(row_factory=class_row(FromNumber)) as cur:
        return cur.execute(
            "SELECT id, label, value FROM sms_from_numbers ORDER BY lower(label), id"
        ).fetchall()


def replace_from_numbers(
    conn: psycopg.Connection, numbers: list[tuple[int | None, str, str]]
) -> None:
    """Make the sender numbers exactly ``numbers`` (id None = new)."""
    keep = [n[0] for n in numbers if n[0] is not None]
    conn.execute(
        "DELETE FROM sms_from_numbers WHERE NOT (id = ANY(%(keep)s))", {"keep": keep}
    )
    for number_id, label, value in numbers:
        if number_id is None:
            conn.execute(
                "INSERT INTO sms_from_numbers (label, value) VALUES (%(l)s, %(v)s)",
                {"l": label, "v": value},
            )
        else:
            conn.execute(
                "UPDATE sms_from_numbers SET label = %(l)s, value = %(v)s"
                " WHERE id = %(id)s",
                {"l": label, "v": value, "id": number_id},
            )
