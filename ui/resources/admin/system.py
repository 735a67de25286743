"""``/admin`` odds and ends: user-report purge, apps of every realm, caches,
info and the system statistics (§5.8, §5.10)."""

from __future__ import annotations

import falcon

from models.codes import user_report_purge
from models.duties import caches
from models.errors import DomainError
from models.keys import inventory
from models.realms import admin as realm_cases
from models.stats.system import system_stats
from ui import paging
from ui.guards import system_admin
from ui.resources.admin.common import actor, form, search
from ui.web import redirect


@falcon.before(system_admin)
class UserReport:
    """``GET|DELETE /admin/user-report``: forget one phone's user reports."""

    def __init__(self, pages, db, secrets):
        self._pages, self._db, self._secrets = pages, db, secrets

    def on_get(self, req, resp):
        """Render the phone form."""
        self._render(req, resp)

    def _render(self, req, resp, status=200):
        self._pages.render(
            req, resp, "admin/user_report.mako", status=status, title="User report"
        )

    def on_delete(self, req, resp):
        """Purge the phone (the same message whether or not it matched)."""
        values, session = form(req), req.context.session
        phone = values.get("phone_number[full]") or values.get("phone_number", "")
        try:
            with self._db.connection() as conn:
                user_report_purge.purge_phone(
                    conn, self._secrets, phone, actor=actor(req)
                )
        except DomainError as ex:
            session.flash("error", ex.message)
            return self._render(req, resp, status=422)
        session.flash(
            "alert", "Successfully purged phone number from user report database."
        )
        raise redirect("/admin/user-report")


@falcon.before(system_admin)
class MobileApps:
    """``GET /admin/mobile-apps`` and ``GET /admin/mobile-apps/{id}`` (read-only)."""

    def __init__(self, pages, db):
        self._pages, self._db = pages, db

    def on_get(self, req, resp):
        """List enabled apps of every realm, by realm then name."""
        query = search(req)
        with self._db.connection() as conn:
            page = paging.page_of(req, realm_cases.count_mobile_apps(conn, query))
            apps = realm_cases.search_mobile_apps(conn, query, page.limit, page.offset)
        self._pages.render(
            req,
            resp,
            "admin/mobile_apps.mako",
            title="Mobile apps",
            apps=apps,
            query=query,
            page=page,
            page_url=lambda n: paging.page_url(req, n),
        )

    def on_get_item(self, req, resp, app_id):
        """Show one app (404 if missing or disabled)."""
        with self._db.connection() as conn:
            found = realm_cases.get_mobile_app(conn, app_id)
        if found is None:
            raise falcon.HTTPNotFound()
        self._pages.render(
            req, resp, "admin/mobile_app.mako", title=found.app.name, found=found
        )


@falcon.before(system_admin)
class Caches:
    """``GET /admin/caches`` and ``POST /admin/caches/clear/{id}``."""

    def __init__(self, pages, db, cache):
        self._pages, self._db, self._cache = pages, db, cache

    def on_get(self, req, resp):
        """List the cache types that can be cleared."""
        self._pages.render(
            req, resp, "admin/caches.mako", title="Caches", kinds=caches.CACHE_TYPES
        )

    def on_post_clear(self, req, resp, cache_id):
        """Clear one cache type."""
        session = req.context.session
        try:
            with self._db.connection() as conn:
                kind = caches.clear(conn, self._cache, cache_id, actor=actor(req))
        except DomainError as ex:
            session.flash("error", ex.message)
            raise redirect("/admin/caches") from None
        session.flash("alert", f"Successfully cleared cache for {kind.label}!")
        raise redirect("/admin/caches")


@falcon.before(system_admin)
class Info:
    """``GET /admin/info``: build, keys, secrets and settings (secrets redacted)."""

    def __init__(self, pages, db, settings):
        self._pages, self._db, self._settings = pages, db, settings

    def on_get(self, req, resp):
        """Render the info page."""
        with self._db.connection() as conn:
            keys = inventory.token_keys(conn)
            secrets = inventory.secrets_by_type(conn)
        self._pages.render(
            req,
            resp,
            "admin/info.mako",
            title="Info",
            version=inventory.version(),
            ops=self._settings.ops,
            token_keys=keys,
            secrets=secrets,
            summary=inventory.settings_summary(self._settings),
        )


@falcon.before(system_admin)
class SystemStats:
    """``GET /admin/stats/system.json``: codes issued/claimed over realms."""

    def __init__(self, db, cache, clock, settings):
        self._db, self._cache, self._clock = db, cache, clock
        self._ops = settings.ops

    def on_get(self, req, resp):
        """Answer the realm-stats JSON shape summed across realms."""
        resp.media = system_stats(
            self._db,
            self._cache,
            self._clock,
            min_realms=self._ops.min_realms_for_system_stats,
            exclude=self._ops.exclude_from_system_stats,
        )
