"""Queries of the end-to-end prober's bootstrap (operations §7)."""

from __future__ import annotations

import psycopg

E2E_REALM_NAME = "e2e-test-realm"


def e2e_realm_id(conn: psycopg.Connection) -> int | None:
    """Return the id of the e2e realm (by name), if it exists."""
    row = conn.execute(
        "SELECT id FROM realms WHERE lower(name) = lower(%(name)s)"
        " AND deleted_at IS NULL",
        {"name": E2E_REALM_NAME},
    ).fetchone()
    return row[0] if row else None


def delete_authorized_apps(conn: psycopg.Connection, *, ids: list[int]) -> int:
    """Hard-delete the prober's temporary API keys."""
    return conn.execute(
        "DELETE FROM authorized_apps WHERE id = ANY(%(ids)s)", {"ids": ids}
    ).rowcount


def delete_user_reports(conn: psycopg.Connection, *, phone_hashes: list[str]) -> int:
    """Delete user reports of a phone (the prober reuses one test number)."""
    return conn.execute(
        "DELETE FROM user_reports WHERE phone_hash = ANY(%(hashes)s)",
        {"hashes": phone_hashes},
    ).rowcount
