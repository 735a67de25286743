"""``GET /api/stats/*``: realm statistics in JSON or CSV (protocol §5.5)."""

from __future__ import annotations

import falcon

from api.common.downloads import send
from models.clock import Clock
from models.realms.apikeys import KeyType
from models.stats.exports import FORMATS, render
from models.stats.reports import StatsReports

# (route, report kind); ``{object_id}`` routes report one user or API key.
ROUTES = (
    ("/api/stats/realm.{fmt}", "realm"),
    ("/api/stats/realm/composite.{fmt}", "composite"),
    ("/api/stats/realm/key-server.{fmt}", "key-server"),
    ("/api/stats/realm/users.{fmt}", "users"),
    ("/api/stats/realm/users/{object_id:int}.{fmt}", "user"),
    ("/api/stats/realm/api-keys/{object_id:int}.{fmt}", "api-key"),
    ("/api/stats/realm/external-issuers.{fmt}", "external-issuers"),
    ("/api/stats/realm/sms-errors.{fmt}", "sms-errors"),
)


class StatsResource:
    """Serve one stats report for the STATS key's realm."""

    api_key_types = frozenset({KeyType.STATS})

    def __init__(self, reports: StatsReports, clock: Clock, kind: str):
        self._reports = reports
        self._clock = clock
        self._kind = kind

    def on_get(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        fmt: str,
        object_id: int | None = None,
    ) -> None:
        """Render the report as JSON or as a CSV attachment."""
        if fmt not in FORMATS:
            raise falcon.HTTPRouteNotFound()
        report = self._reports.report(self._kind, req.context.realm.id, object_id)
        download = render(report, fmt, self._clock.now())
        send(resp, download)
