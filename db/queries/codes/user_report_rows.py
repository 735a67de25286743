"""Queries on user-report rows (one per phone, across realms) for issuing."""

from __future__ import annotations

import psycopg


def user_report_exists(conn: psycopg.Connection, *, phone_hashes: list[str]) -> bool:
    """Say whether any phone hash already has a user report."""
    return (
        conn.execute(
            "SELECT 1 FROM user_reports WHERE phone_hash = ANY(%(hashes)s) LIMIT 1",
            {"hashes": phone_hashes},
        ).fetchone()
        is not None
    )


def insert_user_report(
    conn: psycopg.Connection, *, phone_hash: str, nonce: str, nonce_required: bool
) -> int | None:
    """Insert a user report; None when the phone already has one."""
    row = conn.execute(
        "INSERT INTO user_reports (phone_hash, nonce, nonce_required)"
        " VALUES (%(hash)s, %(nonce)s, %(required)s)"
        " ON CONFLICT (phone_hash) DO NOTHING RETURNING id",
        {"hash": phone_hash, "nonce": nonce, "required": nonce_required},
    ).fetchone()
    return row[0] if row else None


def delete_user_report(conn: psycopg.Connection, *, report_id: int) -> int:
    """Delete a user report (its SMS could not be sent)."""
    return conn.execute(
        "DELETE FROM user_reports WHERE id = %(id)s", {"id": report_id}
    ).rowcount


def purge_user_reports(conn: psycopg.Connection, *, phone_hashes: list[str]) -> int:
    """Expire the live codes of the phone's user reports, then delete them."""
    conn.execute(
        "UPDATE verification_codes SET expires_at = now(), long_expires_at = now(),"
        " updated_at = now() WHERE NOT claimed AND user_report_id IN"
        " (SELECT id FROM user_reports WHERE phone_hash = ANY(%(hashes)s))"
        " AND (expires_at > now() OR long_expires_at > now())",
        {"hashes": phone_hashes},
    )
    return conn.execute(
        "DELETE FROM user_reports WHERE phone_hash = ANY(%(hashes)s)",
        {"hashes": phone_hashes},
    ).rowcount
