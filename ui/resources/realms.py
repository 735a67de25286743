"""Realm choice: ``/login/select-realm`` and ``/login/post-authenticate``."""

from __future__ import annotations

import falcon

from api.common.middleware import form_value
from models.accounts import memberships
from ui.guards import signed_in
from ui.web import redirect


def _choose(session, realm_id: int) -> None:
    # A new realm means new prompts and a new welcome message (§2.1, §10.7).
    session.data["realm"] = realm_id
    for key in ("mfa_prompted", "welcome", "email_prompted"):
        session.data.pop(key, None)


@falcon.before(signed_in)
class SelectRealm:
    """Pick the realm to work in (auto-picked when there is only one)."""

    def __init__(self, pages):
        self._pages = pages

    def on_get(self, req, resp):
        """Route by the number of memberships (§3.3)."""
        ctx = req.context
        admin = memberships.admin_landing(ctx.user.system_admin, ctx.memberships)
        if admin:
            raise redirect(admin)
        if len(ctx.memberships) == 1:
            only = ctx.memberships[0]
            if ctx.session.data.get("realm") != only.realm_id:
                ctx.session.clear_flashes()
                _choose(ctx.session, only.realm_id)
            raise redirect("/login/post-authenticate")
        self._render(req, resp)

    def on_post(self, req, resp):
        """Store the chosen realm if the user is a member of it."""
        ctx = req.context
        raw = form_value(req, "realm") or ""
        chosen = memberships.find(ctx.memberships, int(raw) if raw.isdigit() else 0)
        if chosen is None:
            ctx.session.flash("error", ctx.t("login.invalid-realm"))
            return self._render(req, resp, status=422)
        _choose(ctx.session, chosen.realm_id)
        raise redirect("/login/post-authenticate")

    def _render(self, req, resp, status: int = 200):
        self._pages.render(
            req,
            resp,
            "login/select_realm.mako",
            status=status,
            title=req.context.t("login.select-realm"),
        )


@falcon.before(signed_in)
class PostAuthenticate:
    """Send a member to the first page their permissions allow."""

    def on_get(self, req, resp):
        """Redirect to the landing page (or to realm selection)."""
        ctx = req.context
        membership = ctx.membership
        admin = memberships.admin_landing(ctx.user.system_admin, ctx.memberships)
        if membership is None and admin:
            raise redirect(admin)
        if membership is None:
            req.context.session.flash(
                "error", req.context.t("login.select-realm-first")
            )
            raise redirect("/login/select-realm")
        raise redirect(memberships.landing_path(membership.permissions))

    on_post = on_put = on_patch = on_get
