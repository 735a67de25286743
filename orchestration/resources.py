"""Dagster resources: thin adapters to the same services the web apps use."""

from __future__ import annotations

import os

from dagster import ConfigurableResource, InitResourceContext
from pydantic import PrivateAttr

from models.clock import Clock, SystemClock
from models.services import Services, build_services
from models.settings import Settings


class EncvResource(ConfigurableResource):
    """Settings, database pool, key store, secrets and cache for a run."""

    name: str = "dagster"

    _services: Services | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Open a small pool for the duration of the run."""
        settings = Settings.from_env(os.environ).replace(db_pool_max=4)
        self._services = build_services(settings, name=self.name)

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        """Close the pool."""
        if self._services is not None:
            self._services.close()

    @property
    def services(self) -> Services:
        """The live services of this run."""
        assert self._services is not None, "resource used outside a run"
        return self._services


class ClockResource(ConfigurableResource):
    """The clock duties read time from (tests swap in a fixed one)."""

    def get(self) -> Clock:
        """Return the clock."""
        return SystemClock()
