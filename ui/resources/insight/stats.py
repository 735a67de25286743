"""``/realm/stats`` and the ``/stats/realm/**`` exports (ui-and-data §5.8).

The exports serve the very reports of the admin API's ``/api/stats/*``
(``models.stats.reports``); here the caller is a realm member, and each
route demands its listed permission (no "any member" fallback).
"""

from __future__ import annotations

import falcon

from api.common.downloads import send
from db.pool import ConnectionSource
from models.accounts.rbac import Permission
from models.clock import Clock
from models.stats.exports import FORMATS, render
from models.stats.page import DEFAULT_SMOOTHING, SMOOTHING_DAYS, page_facts
from models.stats.reports import StatsReports, UnknownObject
from ui.guards import RealmGate, requires
from ui.web import Pages

STATS = Permission.STATS_READ

# (route, report kind, permissions of which any one is enough)
EXPORTS = (
    ("/stats/realm.{fmt}", "realm", STATS),
    ("/stats/realm/composite.{fmt}", "composite", STATS),
    ("/stats/realm/key-server.{fmt}", "key-server", STATS | Permission.USER_READ),
    ("/stats/realm/users.{fmt}", "users", STATS),
    ("/stats/realm/users/{object_id:int}.{fmt}", "user", STATS | Permission.USER_READ),
    (
        "/stats/realm/api-keys/{object_id:int}.{fmt}",
        "api-key",
        STATS | Permission.API_KEY_READ,
    ),
    ("/stats/realm/external-issuers.{fmt}", "external-issuers", STATS),
    ("/stats/realm/sms-errors.{fmt}", "sms-errors", STATS),
)


@requires(STATS)
class StatsPage:
    """The realm's charts; the page's script draws them from the exports."""

    def __init__(self, pages: Pages, db: ConnectionSource):
        self._pages = pages
        self._db = db

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Render the chart sections that apply to the realm."""
        ctx = req.context
        with self._db.connection() as conn:
            facts = page_facts(conn, ctx.realm)
        self._pages.render(
            req,
            resp,
            "stats/index.mako",
            title="Statistics",
            facts=facts,
            smoothing_days=SMOOTHING_DAYS,
            smoothing=DEFAULT_SMOOTHING,
            show_key_server_url=bool(
                ctx.membership.permissions & Permission.SETTINGS_READ
            ),
        )


class StatsExport:
    """One report of the member's realm as JSON or as a CSV attachment."""

    def __init__(
        self, reports: StatsReports, clock: Clock, kind: str, permission: Permission
    ):
        self._reports = reports
        self._clock = clock
        self._kind = kind
        # The realm chain with this route's permission; any listed bit is enough.
        self._gate = RealmGate(permission)

    def on_get(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        fmt: str,
        object_id: int | None = None,
    ) -> None:
        """Send the report, or 401 for a user or key outside the realm."""
        self._gate(req, resp, self, {"fmt": fmt, "object_id": object_id})
        if fmt not in FORMATS:
            raise falcon.HTTPRouteNotFound()
        try:
            report = self._reports.report(self._kind, req.context.realm.id, object_id)
        except UnknownObject as ex:
            raise falcon.HTTPUnauthorized(description="unauthorized") from ex
        download = render(report, fmt, self._clock.now())
        # Statistics of a realm are not for shared caches.
        resp.cache_control = ["private", "no-store"]
        send(resp, download)
