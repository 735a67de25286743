"""Small statements with no aggregate of their own: pings and advisory locks."""

from __future__ import annotations

import psycopg


def ping(conn: psycopg.Connection) -> None:
    """Run a trivial query (health checks)."""
    conn.execute("SELECT 1")


def advisory_xact_lock(conn: psycopg.Connection, name: str) -> None:
    """Wait for the transaction-scoped advisory lock named ``name``."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtext(%(name)s))", {"name": name})
