"""``/realm/settings``: every tab of §5.2, and EN Express on/off."""

from __future__ import annotations

import falcon

from models import audit
from models.accounts.rbac import Permission
from models.realms.forms import SENTINEL, SettingsInvalid
from models.realms.settings import TABS
from models.realms.settings_audit import test_types
from ui.guards import requires
from ui.web import redirect


def actor_of(req) -> audit.Actor:
    """Return the audit actor of the signed-in person."""
    user = req.context.user
    return audit.user_actor(user.id, user.name, user.email)


def form_of(req) -> dict:
    """Return the urlencoded body as a dict (empty for other bodies)."""
    if req.content_type and req.content_type.startswith(falcon.MEDIA_URLENCODED):
        return req.get_media(default_when_empty={})
    return {}


def tab_of(form: dict) -> str | None:
    """Find the tab a form belongs to: ``tab=<name>`` or the ``<name>=1`` marker."""
    tab = form.get("tab")
    if isinstance(tab, list):
        tab = tab[-1]
    if tab in TABS:
        return tab
    return next((name for name in TABS if name in form), None)


class SettingsPage:
    """Show and save the realm's settings, one tab per form."""

    def __init__(self, pages, service, settings):
        self._pages = pages
        self._service = service
        self._settings = settings

    @requires(Permission.SETTINGS_READ)
    def on_get(self, req, resp):
        """Render every tab with the stored values."""
        self._render(req, resp)

    @requires(Permission.SETTINGS_WRITE)
    def on_post(self, req, resp):
        """Validate and save the posted tab; 422 with the errors on failure."""
        form = form_of(req)
        tab = tab_of(form)
        realm = req.context.realm
        if tab is None:
            return self._render(
                req, resp, status=422, errors={"tab": "unknown settings tab"}
            )
        try:
            result = self._service.save_tab(realm.id, tab, form, actor_of(req))
        except SettingsInvalid as ex:
            req.context.session.flash("error", "Failed to update realm settings.")
            return self._render(
                req, resp, status=422, errors=ex.errors, form=form, tab=tab
            )
        session = req.context.session
        for warning in result.warnings:
            session.flash("warning", warning)
        if result.burst:
            session.flash("alert", f"Successfully added {result.burst} to realm quota")
        session.flash("alert", "Successfully updated realm settings")
        raise redirect(f"/realm/settings#{tab}")

    @requires(Permission.SETTINGS_WRITE)
    def on_post_enable(self, req, resp):
        """Enrol in EN Express (resets code shape and templates)."""
        self._express(req, resp, True)

    @requires(Permission.SETTINGS_WRITE)
    def on_post_disable(self, req, resp):
        """Leave EN Express (templates back to the plain defaults)."""
        self._express(req, resp, False)

    def _express(self, req, resp, on: bool):
        realm = req.context.realm
        try:
            self._service.set_express(realm.id, on, actor_of(req))
        except SettingsInvalid as ex:
            for message in ex.errors.values():
                req.context.session.flash("error", message)
            return self._render(req, resp, status=422, errors=ex.errors, tab="enx")
        state = "enabled" if on else "disabled"
        req.context.session.flash("alert", f"Successfully {state} EN Express")
        raise redirect("/realm/settings#enx" if not on else "/realm/settings#general")

    def _render(self, req, resp, *, status=200, errors=None, form=None, tab=None):
        view = self._service.view(req.context.realm.id, req.context.now.date())
        endpoint = self._settings.ui.server_endpoint or req.forwarded_prefix
        self._pages.render(
            req,
            resp,
            "realm/settings.mako",
            status=status,
            title="Realm settings",
            v=view,
            r=view.realm,
            errors=errors or {},
            posted=form or {},
            active_tab=tab or "general",
            sentinel=SENTINEL,
            test_type_names=test_types,
            webhook_url=f"{endpoint}/webhooks/{view.realm.id}/twilio",
        )
