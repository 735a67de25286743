"""``/realm/apikeys``: list and search, create (key shown once), rename, disable."""

from __future__ import annotations

from models.accounts.rbac import Permission
from models.realms import apikeys
from ui import paging
from ui.guards import requires
from ui.resources.people.forms import actor, field, form, not_visible
from ui.web import redirect

TYPES = (
    (apikeys.KeyType.DEVICE, "Device", "can verify codes"),
    (apikeys.KeyType.ADMIN, "Admin", "can issue codes"),
    (apikeys.KeyType.STATS, "Stats", "can view statistics"),
)
# The plaintext rides in the (encrypted) session cookie for exactly one redirect.
FRESH_KEY = "fresh_api_key"


class ApiKeys:
    """The realm's API keys."""

    def __init__(self, pages, db, secrets):
        self._pages = pages
        self._db = db
        self._secrets = secrets

    @requires(Permission.API_KEY_READ)
    def on_get(self, req, resp):
        """List keys (disabled ones included) matching ``q``."""
        query = (req.get_param("q") or "").strip()
        number, size = paging.requested(req)
        # A key not looked at right after creation is not kept around.
        req.context.session.data.pop(FRESH_KEY, None)
        with self._db.connection() as conn:
            total, rows = apikeys.search_keys(
                conn,
                req.context.realm.id,
                query,
                limit=size,
                offset=(number - 1) * size,
            )
        self._pages.render(
            req,
            resp,
            "apikeys/index.mako",
            title="API keys",
            rows=rows,
            q=query,
            page=paging.Page(number, size, total),
            page_url=lambda n: paging.page_url(req, n),
            types={int(t): (label, hint) for t, label, hint in TYPES},
        )

    @requires(Permission.API_KEY_WRITE)
    def on_get_new(self, req, resp):
        """Render the creation form."""
        self._form(req, resp, None, {"name": "", "type": "-1"})

    @requires(Permission.API_KEY_WRITE)
    def on_post(self, req, resp):
        """Create a key; its plaintext is shown once on the next page."""
        ctx = req.context
        values = form(req)
        typed = {"name": field(values, "name"), "type": field(values, "type") or "-1"}
        try:
            with self._db.connection() as conn:
                plaintext, app_id = apikeys.issue_key(
                    conn,
                    self._secrets,
                    realm_id=ctx.realm.id,
                    name=typed["name"],
                    key_type=typed["type"],
                    actor=actor(req),
                )
        except apikeys.ApiKeyError as ex:
            return self._form(req, resp, None, typed, ex.message, ex.fields)
        ctx.session.data[FRESH_KEY] = {"id": app_id, "key": plaintext}
        ctx.session.flash(
            "alert", f'Successfully created API Key for "{typed["name"].strip()}"'
        )
        raise redirect(f"/realm/apikeys/{app_id}")

    def _key(self, req, app_id):
        with self._db.connection() as conn:
            app = apikeys.get_key(conn, req.context.realm.id, app_id)
        if app is None:
            raise not_visible()
        return app

    @requires(Permission.API_KEY_READ)
    def on_get_item(self, req, resp, app_id):
        """Show a key; a just-created key's plaintext appears this once."""
        app = self._key(req, app_id)
        fresh = req.context.session.data.pop(FRESH_KEY, None)
        plaintext = fresh["key"] if fresh and fresh.get("id") == app_id else None
        self._pages.render(
            req,
            resp,
            "apikeys/show.mako",
            title=app.name,
            app=app,
            plaintext=plaintext,
            types={int(t): (label, hint) for t, label, hint in TYPES},
        )

    @requires(Permission.API_KEY_WRITE)
    def on_get_edit(self, req, resp, app_id):
        """Render the rename form."""
        app = self._key(req, app_id)
        self._form(req, resp, app, {"name": app.name, "type": str(app.api_key_type)})

    @requires(Permission.API_KEY_WRITE)
    def on_patch_item(self, req, resp, app_id):
        """Rename a key (its type is fixed)."""
        ctx = req.context
        app = self._key(req, app_id)
        typed = {"name": field(form(req), "name"), "type": str(app.api_key_type)}
        try:
            with self._db.connection() as conn:
                apikeys.rename_key(
                    conn,
                    realm_id=ctx.realm.id,
                    app_id=app_id,
                    name=typed["name"],
                    actor=actor(req),
                )
        except apikeys.ApiKeyError as ex:
            return self._form(req, resp, app, typed, ex.message, ex.fields)
        ctx.session.flash("alert", "Successfully updated API key!")
        raise redirect(f"/realm/apikeys/{app_id}")

    @requires(Permission.API_KEY_WRITE)
    def on_patch_disable(self, req, resp, app_id):
        """Disable a key: the APIs refuse it from its next request."""
        self._toggle(req, app_id, False)

    @requires(Permission.API_KEY_WRITE)
    def on_patch_enable(self, req, resp, app_id):
        """Re-enable a disabled key."""
        self._toggle(req, app_id, True)

    def _toggle(self, req, app_id, enabled):
        ctx = req.context
        try:
            with self._db.connection() as conn:
                app = apikeys.set_key_enabled(
                    conn,
                    realm_id=ctx.realm.id,
                    app_id=app_id,
                    enabled=enabled,
                    actor=actor(req),
                )
        except apikeys.ApiKeyError as ex:
            raise not_visible() from ex
        verb = "enabled" if enabled else "disabled"
        ctx.session.flash("alert", f"Successfully {verb} API key '{app.name}'")
        raise redirect("/realm/apikeys")

    def _form(self, req, resp, app, typed, error=None, fields=None):
        self._pages.render(
            req,
            resp,
            "apikeys/form.mako",
            status=422 if error else 200,
            title=f"Edit {app.name}" if app else "New API key",
            app=app,
            typed=typed,
            error=error,
            errors=fields or {},
            types=TYPES,
        )
