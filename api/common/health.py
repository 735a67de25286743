"""Health endpoints: ``/health`` (protocol §1.8), readiness and liveness.

- ``/health`` and ``/health/ready`` (readiness): the database answers, so the
  worker can serve; a load balancer or Kubernetes stops sending traffic
  while it does not.
- ``/health/live`` (liveness): the worker process answers at all. It checks
  no dependency, so a database outage never gets healthy workers restarted.
"""

from __future__ import annotations

import time

import falcon

from api.common.errors import unavailable
from db.pool import ConnectionSource
from models.health import database_ok


class HealthResource:
    """Report liveness after checking the database.

    Redis is not checked: its outages degrade the service (local fallbacks)
    instead of stopping it, so a load balancer must not drop the worker.
    """

    def __init__(self, db: ConnectionSource, maintenance_mode: bool, redis=None):
        self._db = db
        self._maintenance = maintenance_mode

    def _db_ok(self, attempts: int) -> bool:
        for attempt in range(attempts):
            if database_ok(self._db):
                return True
            if attempt < attempts - 1:
                time.sleep(0.2)
        return False

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Answer 200 when the database responds, 503 when it does not."""
        # The original only pings on ?service=database (6 tries); we always
        # check once so a load balancer sees a broken worker.
        attempts = 6 if req.get_param("service") == "database" else 1
        if not self._db_ok(attempts):
            unavailable(req, resp)
            return
        resp.media = {"maintenance_mode": self._maintenance, "status": "ok"}


class LiveResource:
    """``GET /health/live``: the process answers (no dependency is checked)."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Answer 200 while this worker can run a request at all."""
        resp.media = {"status": "ok"}


def install(app: falcon.App, db: ConnectionSource, maintenance_mode: bool) -> None:
    """Add ``/health``, ``/health/ready`` and ``/health/live`` to ``app``."""
    ready = HealthResource(db, maintenance_mode)
    app.add_route("/health", ready)
    app.add_route("/health/ready", ready)
    app.add_route("/health/live", LiveResource())
