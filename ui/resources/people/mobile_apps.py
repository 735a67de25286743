"""``/realm/mobile-apps``: list, create, edit, show, disable and enable."""

from __future__ import annotations

from dataclasses import asdict

from models.accounts.rbac import Permission
from models.realms import mobile_apps as apps
from ui import paging
from ui.guards import requires
from ui.resources.people.forms import actor, checked, field, form, not_visible
from ui.web import redirect


def _typed(req) -> apps.AppForm:
    values = form(req)
    return apps.AppForm(
        name=field(values, "name"),
        url=field(values, "url"),
        os=field(values, "os"),
        app_id=field(values, "app_id"),
        sha=field(values, "sha"),
        enable_redirect=checked(values, "enable_redirect"),
    )


class MobileApps:
    """The realm's mobile apps."""

    def __init__(self, pages, db, cache):
        self._pages = pages
        self._db = db
        self._cache = cache

    @requires(Permission.MOBILE_APP_READ)
    def on_get(self, req, resp):
        """List apps (disabled ones last) whose name matches ``q``."""
        query = (req.get_param("q") or "").strip()
        number, size = paging.requested(req)
        with self._db.connection() as conn:
            total, rows = apps.search_apps(
                conn,
                req.context.realm.id,
                query,
                limit=size,
                offset=(number - 1) * size,
            )
        self._pages.render(
            req,
            resp,
            "mobile_apps/index.mako",
            title="Mobile apps",
            rows=rows,
            q=query,
            page=paging.Page(number, size, total),
            page_url=lambda n: paging.page_url(req, n),
            os_names=apps.OS_NAMES,
        )

    @requires(Permission.MOBILE_APP_WRITE)
    def on_get_new(self, req, resp):
        """Render the creation form."""
        self._form(req, resp, None, apps.AppForm())

    @requires(Permission.MOBILE_APP_WRITE)
    def on_post(self, req, resp):
        """Register an app."""
        ctx = req.context
        typed = _typed(req)
        try:
            with self._db.connection() as conn:
                app_id = apps.create_app(
                    conn,
                    self._cache,
                    realm_id=ctx.realm.id,
                    form=typed,
                    actor=actor(req),
                )
        except apps.AppError as ex:
            return self._form(req, resp, None, typed, ex.message, ex.fields)
        ctx.session.flash(
            "alert", f'Successfully created mobile app "{typed.name.strip()}"'
        )
        raise redirect(f"/realm/mobile-apps/{app_id}")

    def _app(self, req, app_id):
        with self._db.connection() as conn:
            app = apps.get_app(conn, req.context.realm.id, app_id)
        if app is None:
            raise not_visible()
        return app

    @requires(Permission.MOBILE_APP_READ)
    def on_get_item(self, req, resp, app_id):
        """Show an app."""
        app = self._app(req, app_id)
        self._pages.render(
            req,
            resp,
            "mobile_apps/show.mako",
            title=app.name,
            app=app,
            os_names=apps.OS_NAMES,
        )

    @requires(Permission.MOBILE_APP_WRITE)
    def on_get_edit(self, req, resp, app_id):
        """Render the edit form."""
        app = self._app(req, app_id)
        typed = apps.AppForm(
            name=app.name,
            url=app.url or "",
            os=str(app.os),
            app_id=app.app_id,
            sha=app.sha,
            enable_redirect=not app.disable_redirect,
        )
        self._form(req, resp, app, typed)

    @requires(Permission.MOBILE_APP_WRITE)
    def on_patch_item(self, req, resp, app_id):
        """Save an edit."""
        ctx = req.context
        app = self._app(req, app_id)
        typed = _typed(req)
        try:
            with self._db.connection() as conn:
                apps.update_app(
                    conn,
                    self._cache,
                    realm_id=ctx.realm.id,
                    app_id=app_id,
                    form=typed,
                    actor=actor(req),
                )
        except apps.AppError as ex:
            return self._form(req, resp, app, typed, ex.message, ex.fields)
        ctx.session.flash(
            "alert", f'Successfully updated mobile app "{typed.name.strip()}"!'
        )
        raise redirect(f"/realm/mobile-apps/{app_id}")

    @requires(Permission.MOBILE_APP_WRITE)
    def on_patch_disable(self, req, resp, app_id):
        """Disable an app (the redirector stops offering it)."""
        self._toggle(req, app_id, False)

    @requires(Permission.MOBILE_APP_WRITE)
    def on_patch_enable(self, req, resp, app_id):
        """Restore a disabled app."""
        self._toggle(req, app_id, True)

    def _toggle(self, req, app_id, enabled):
        ctx = req.context
        try:
            with self._db.connection() as conn:
                app = apps.set_app_enabled(
                    conn,
                    self._cache,
                    realm_id=ctx.realm.id,
                    app_id=app_id,
                    enabled=enabled,
                    actor=actor(req),
                )
        except apps.AppError as ex:
            raise not_visible() from ex
        verb = "enabled" if enabled else "disabled"
        ctx.session.flash("alert", f"Successfully {verb} mobile app '{app.name}'")
        raise redirect("/realm/mobile-apps")

    def _form(self, req, resp, app, typed, error=None, fields=None):
        self._pages.render(
            req,
            resp,
            "mobile_apps/form.mako",
            status=422 if error else 200,
            title=f"Edit {app.name}" if app else "New mobile app",
            app=app,
            typed=asdict(typed),
            error=error,
            errors=fields or {},
            os_names=apps.OS_NAMES,
        )
