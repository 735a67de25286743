import time

import psycopg
import pytest

from db import pool as pool_mod
from db.pool import DatabaseUnavailable, PoolSource


def test_idle_connections_are_checked_and_broken_ones_replaced(
    template_db, monkeypatch
):
    source = PoolSource(template_db, min_size=1, max_size=1).open()
    try:
        with source.connection() as conn:
            pid = conn.info.backend_pid
        # Kill the pooled connection's backend from another session.
        with psycopg.connect(template_db, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        time.sleep(0.2)
        # Pretend the connection has been idle long enough to be checked.
        monkeypatch.setattr(pool_mod, "IDLE_CHECK_SECONDS", 0.0)
        with source.connection() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            assert conn.info.backend_pid != pid
    finally:
        source.close()


def test_unreachable_database_is_reported_as_unavailable():
    source = PoolSource("postgresql://postgres@127.0.0.1:1/none", max_size=1)
    with pytest.raises(Exception):  # noqa: B017 - open itself fails fast on a bad DSN
        source.open(timeout=1)
    with pytest.raises(DatabaseUnavailable):
        with source.connection():
            pass


def test_statement_timeout_and_checkout_timeout_fail_as_unavailable(template_db):
    source = PoolSource(
        template_db, max_size=1, checkout_timeout=0.3, statement_timeout=0.2
    ).open()
    try:
        with pytest.raises(DatabaseUnavailable, match="statement timeout"):
            with source.connection() as conn:
                conn.execute("SELECT pg_sleep(5)")
        with source.connection():
            # The only connection is lent out: a second request gives up.
            with pytest.raises(DatabaseUnavailable):
                with source.connection():
                    pass
        with source.connection() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        source.close()
