"""Dagster resources: thin adapters to the same services the web apps use."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator

import psycopg
from dagster import ConfigurableResource, InitResourceContext
from pydantic import Field, PrivateAttr

from models.clock import FixedClock
from models.duties import locks
from models.services import Services, build_services
from models.settings import Settings
from models.telemetry import logs


class EncvResource(ConfigurableResource):
    """Settings, database pool, key store, secrets, clock and run gates of a run.

    Settings come from the environment; ``database_url``, ``env`` and
    ``fixed_now`` override it (tests point a run at their own database and
    pin the clock). Gates taken during the run are released at teardown,
    which Dagster runs whether the run succeeded or failed.
    """

    name: str = "dagster"
    database_url: str = Field(default="", description="overrides DATABASE_URL")
    env: dict[str, str] = Field(default_factory=dict, description="extra settings")
    fixed_now: str = Field(default="", description="ISO-8601 UTC time to pin the clock")

    _services: Services | None = PrivateAttr(default=None)
    _holder: str = PrivateAttr(default="")

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Open a small pool for the duration of the run."""
        environ = {**os.environ, **self.env}
        if self.database_url:
            environ["DATABASE_URL"] = self.database_url
        # Duties may run long statements (purges); requests keep their limit.
        settings = Settings.from_env(environ).replace(
            db_pool_max=4, db_statement_timeout=0.0
        )
        clock = (
            FixedClock(dt.datetime.fromisoformat(self.fixed_now))
            if (self.fixed_now)
            else None
        )
        self._services = build_services(settings, name=self.name, clock=clock)
        run = context.run
        self._holder = f"run:{run.run_id if run else os.getpid()}"
        # Our loggers speak JSON here too; calls the run makes carry its id.
        logs.configure_from(environ, "dagster", if_unset=True)
        logs.request_id.set(self._holder)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        """Release this run's gates and close the pool."""
        if self._services is None:
            return
        try:
            with self.connection() as conn:
                locks.release_all(conn, holder=self._holder, now=self.now())
        finally:
            self._services.close()

    @property
    def services(self) -> Services:
        """The live services of this run."""
        assert self._services is not None, "resource used outside a run"
        return self._services

    @property
    def settings(self) -> Settings:
        """The settings of this run."""
        return self.services.settings

    def now(self) -> dt.datetime:
        """Return the current time from the injected clock."""
        return self.services.clock.now()

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """Lend a pooled autocommit connection."""
        with self.services.db.connection() as conn:
            yield conn

    def try_gate(self, gate: locks.Gate) -> bool:
        """Take ``gate`` for this run (re-entrant within the run)."""
        with self.connection() as conn:
            return locks.try_acquire(conn, gate, holder=self._holder, now=self.now())
