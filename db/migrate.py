"""Apply the numbered SQL files in db/migrations under an advisory lock."""

from __future__ import annotations

import logging
from importlib import resources

import psycopg

log = logging.getLogger(__name__)

# Arbitrary but fixed: every encv process contends on the same lock id.
_MIGRATION_LOCK_ID = 0x656E6376  # "encv"


def migration_files() -> list[tuple[str, str]]:
    """Return (version, sql) for every migration file, in order."""
    folder = resources.files("db") / "migrations"
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".sql"))
    return [(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8")) for p in files]


def applied_versions(conn: psycopg.Connection) -> set[str]:
    """Return the versions recorded in the migrations table."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations ("
        " id varchar(255) PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    return {row[0] for row in conn.execute("SELECT id FROM migrations")}


def migrate(conn: psycopg.Connection) -> list[str]:
    """Apply pending migrations; return the versions applied by this call.

    Concurrent callers serialise on a session advisory lock, so exactly one
    applies each file and the others find it recorded.
    """
    conn.autocommit = True
    conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK_ID,))
    try:
        with conn.transaction():
            # CREATE TABLE IF NOT EXISTS itself races on the catalog; the
            # advisory lock already serialises us.
            done = applied_versions(conn)
        applied = []
        for version, sql in migration_files():
            if version in done:
                continue
            with conn.transaction():
                conn.execute(sql)
                conn.execute("INSERT INTO migrations (id) VALUES (%s)", (version,))
            log.info("applied migration %s", version)
            applied.append(version)
        return applied
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK_ID,))
