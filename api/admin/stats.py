"""``GET /api/stats/*``: realm statistics in JSON or CSV (protocol §5.5)."""

from __future__ import annotations

import csv
import io

import falcon

from models.clock import Clock
from models.realms.apikeys import KeyType
from models.stats.reports import StatsReports

FORMATS = {"json", "csv"}

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


def to_csv(rows: list[list[str]]) -> str:
    """Render rows as RFC 4180 CSV (CRLF line ends)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


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
        if fmt == "json":
            resp.media = report.json
            return
        stamp = self._clock.now().strftime("%Y%m%d%H%M%S")
        resp.content_type = "text/csv"
        resp.set_header(
            "Content-Disposition", f"attachment;filename={stamp}-{report.name}.csv"
        )
        resp.text = to_csv(report.csv) if report.csv else ""
