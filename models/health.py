"""Dependency checks behind every surface's ``/health``."""

from __future__ import annotations

from db.pool import ConnectionSource
from db.queries.system import ping


def database_ok(db: ConnectionSource) -> bool:
    """Say whether the database answers a trivial query."""
    try:
        with db.connection() as conn:
            ping(conn)
        return True
    except Exception:  # every failure means "not healthy"; callers report it
        return False
