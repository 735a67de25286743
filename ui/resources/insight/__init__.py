"""What happened in a realm: the statistics page, its exports, the audit log."""

from __future__ import annotations

import falcon

from models.services import Services
from models.stats.reports import StatsReports
from ui.resources.insight import events, stats
from ui.web import Pages


def register(app: falcon.App, services: Services, pages: Pages) -> None:
    """Add the stats page, its exports and the realm and system audit logs."""
    db, clock = services.db, services.clock
    app.add_route("/realm/stats", stats.StatsPage(pages, db))
    reports = StatsReports(db, services.cache, clock)
    for route, kind, permission in stats.EXPORTS:
        app.add_route(route, stats.StatsExport(reports, clock, kind, permission))
    app.add_route("/realm/events", events.RealmEvents(pages, db))
    app.add_route("/admin/events", events.SystemEvents(pages, db))
