"""Connection sources: a pool per process, or one connection for tests."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Iterator
from typing import Protocol

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; callers map this to 503/500."""


class ConnectionSource(Protocol):
    """Anything that lends out autocommit psycopg connections."""

    def connection(self) -> contextlib.AbstractContextManager[psycopg.Connection]:
        """Lend a connection for the duration of a ``with`` block."""
        ...


# Connections idle for longer than this are pinged before being lent out.
# Checking every checkout costs a round trip per request (about a tenth of a
# worker's time in the benchmarks); a connection used moments ago is almost
# certainly alive, and a dead one surfaces as DatabaseUnavailable anyway.
IDLE_CHECK_SECONDS = 5.0


def _configure(conn: psycopg.Connection) -> None:
    conn.autocommit = True
    conn._encv_returned = time.monotonic()  # type: ignore[attr-defined]


def _check_if_idle(conn: psycopg.Connection) -> None:
    returned = getattr(conn, "_encv_returned", 0.0)
    if time.monotonic() - returned > IDLE_CHECK_SECONDS:
        ConnectionPool.check_connection(conn)


class PoolSource:
    """A psycopg pool opened explicitly, after any fork.

    The timeouts make an outage fail fast instead of hanging a worker: a new
    connection gives up after ``connect_timeout`` seconds, a request waits
    at most ``checkout_timeout`` for a pooled one, and a statement runs at
    most ``statement_timeout`` (0 = no limit, for long maintenance work).
    """

    def __init__(
        self,
        dsn: str,
        *,
        min_size: int = 1,
        max_size: int = 8,
        name: str = "encv",
        connect_timeout: float = 2.0,
        checkout_timeout: float = 10.0,
        statement_timeout: float = 0.0,
    ):
        self.checkout_timeout = checkout_timeout
        kwargs: dict = {
            "application_name": name,
            # libpq counts whole seconds and treats 1 as 2.
            "connect_timeout": max(2, math.ceil(connect_timeout)),
        }
        if statement_timeout > 0:
            kwargs["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
        self.pool = ConnectionPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            open=False,
            name=name,
            configure=_configure,
            # No ``reset`` callback: with one, psycopg_pool hands every
            # returned connection to its worker thread (a queue put, a wake-up
            # and a GIL hand-off per request); the return time is stamped in
            # connection() instead.
            check=_check_if_idle,
            kwargs=kwargs,
        )

    def open(self, timeout: float = 10.0) -> PoolSource:
        """Open the pool and wait for a first connection so a bad DSN fails at boot."""
        self.pool.open(wait=True, timeout=timeout)
        return self

    def close(self) -> None:
        """Close every pooled connection."""
        self.pool.close()

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """Lend a pooled connection, translating pool and network failures."""
        try:
            with self.pool.connection(timeout=self.checkout_timeout) as conn:
                try:
                    yield conn
                finally:
                    conn._encv_returned = time.monotonic()  # type: ignore[attr-defined]
        except PoolTimeout as ex:
            raise DatabaseUnavailable(str(ex)) from ex
        except psycopg.OperationalError as ex:
            raise DatabaseUnavailable(str(ex)) from ex


# Errors that mean "the server is not there right now", not "this request
# went wrong": a statement cut by statement_timeout, a shutting-down or
# starting server.
_OUTAGE_ERRORS = (
    psycopg.errors.AdminShutdown,
    psycopg.errors.CannotConnectNow,
    psycopg.errors.QueryCanceled,
)


def is_outage(conn: psycopg.Connection, ex: Exception) -> bool:
    """Say whether ``ex`` on ``conn`` is an outage (503) rather than a failure (500)."""
    return conn.broken or conn.closed or isinstance(ex, _OUTAGE_ERRORS)


class SingleConnectionSource:
    """Lend the same connection every time (tests wrap it in a transaction)."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """Lend the one connection."""
        yield self.conn


def connect(dsn: str) -> psycopg.Connection:
    """Open one autocommit connection (CLI commands, migrations)."""
    return psycopg.connect(dsn, autocommit=True)
