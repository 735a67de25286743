"""The audit log: ``/realm/events`` (one realm) and ``/admin/events`` (all).

Read-only by construction: the resources answer GET only, and the table
refuses UPDATE and DELETE outside the retention purge (migration 0013).
"""

from __future__ import annotations

import falcon

from db.pool import ConnectionSource
from models import audit
from models.accounts.rbac import Permission
from ui import paging
from ui.guards import requires, system_admin
from ui.web import Pages


class _Events:
    """List entries newest first, filtered by from/to and paged."""

    template = "events/index.mako"

    def __init__(self, pages: Pages, db: ConnectionSource):
        self._pages = pages
        self._db = db

    def _render(self, req, resp, realm_id: int | None, title: str) -> None:
        window = audit.event_window(req.get_param("from"), req.get_param("to"))
        with self._db.connection() as conn:
            total = audit.count_events(conn, realm_id, window)
            page = paging.page_of(req, total)
            entries = audit.list_events(
                conn, realm_id, window, limit=page.limit, offset=page.offset
            )
        self._pages.render(
            req,
            resp,
            self.template,
            status=422 if window.error else 200,
            title=title,
            window=window,
            entries=entries,
            page=page,
            page_url=lambda number: paging.page_url(req, number),
            diff_lines=audit.diff_lines,
            cross_realm=realm_id is None,
            action=req.path,
        )


@requires(Permission.AUDIT_READ)
class RealmEvents(_Events):
    """The signed-in member's realm's audit log."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Render one page of the realm's entries."""
        self._render(req, resp, req.context.realm.id, "Events")


@falcon.before(system_admin)
class SystemEvents(_Events):
    """Every realm's entries and the system-level ones, for system admins."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Render one page of all entries."""
        self._render(req, resp, None, "System events")
