"""What the realm statistics page needs to know besides the reports."""

from __future__ import annotations

import psycopg


def sms_configured(conn: psycopg.Connection, *, realm_id: int) -> bool:
    """Say whether the realm sends SMS (its own provider or the system one)."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM sms_configs c WHERE c.deleted_at IS NULL"
        " AND NOT c.is_system AND c.realm_id = %(realm_id)s)"
        " OR EXISTS (SELECT 1 FROM realms r JOIN sms_configs c"
        " ON c.is_system AND c.deleted_at IS NULL"
        " WHERE r.id = %(realm_id)s AND r.use_system_sms_config)",
        {"realm_id": realm_id},
    ).fetchone()
    return bool(row[0])


def key_server_override(
    conn: psycopg.Connection, *, realm_id: int
) -> tuple[bool, str | None]:
    """Return (configured, URL override) of the realm's key-server statistics."""
    row = conn.execute(
        "SELECT key_server_url_override FROM key_server_stats"
        " WHERE realm_id = %(realm_id)s",
        {"realm_id": realm_id},
    ).fetchone()
    return (row is not None, row[0] if row else None)
