"""Rendering helpers shared by every UI resource."""

from __future__ import annotations

import falcon

from api.common.i18n import Catalogues, Formatter
from models.accounts.rbac import Permission

SERVER_NAME = "Exposure Notifications Verification Server"


def wants_html(req: falcon.Request) -> bool:
    """Say whether the client asked for HTML (Accept or Content-Type, §0)."""
    items = (req.get_header("Accept") or "").split(",") + (
        req.get_header("Content-Type") or ""
    ).split(",")
    return any(item.startswith("text/html") for item in items)


def wants_json(req: falcon.Request) -> bool:
    """Say whether the client speaks JSON and not HTML."""
    if wants_html(req):
        return False
    items = (req.get_header("Accept") or "").split(",") + (
        req.get_header("Content-Type") or ""
    ).split(",")
    return any(item.startswith("application/json") for item in items)


def redirect(location: str) -> falcon.HTTPSeeOther:
    """Return the 303 every successful mutation answers with."""
    return falcon.HTTPSeeOther(location)


class Pages:
    """Render Mako templates with the globals every page needs."""

    def __init__(
        self,
        lookup,
        catalogs: Catalogues,
        system_notice: str = "",
        features: dict | None = None,
    ):
        self._lookup = lookup
        self.catalogs = catalogs
        self._notice = system_notice  # already sanitised HTML (ui.chrome)
        self._features = features or {}

    def context(self, req: falcon.Request) -> dict:
        """Return the template globals of the current request."""
        ctx = req.context
        locale = getattr(ctx, "locale", "en")
        session = getattr(ctx, "session", None)
        membership = getattr(ctx, "membership", None)
        perms = membership.permissions if membership else 0

        def can(permission: Permission) -> bool:
            return bool(perms & permission)

        return {
            **self.catalogs.context(locale),
            "can": can,
            "P": Permission,
            "server": SERVER_NAME,
            "system_notice": self._notice,
            "features": self._features,
            "path": req.path,
            "csrf": session.masked_csrf() if session else "",
            "flashes": session.take_flashes() if session else {},
            "user": getattr(ctx, "user", None),
            "membership": membership,
            "realm": getattr(ctx, "realm", None),
            "memberships": getattr(ctx, "memberships", []),
            "disabled_controls": False,
        }

    def translator(self, req: falcon.Request):
        """Return ``t(id, *args)`` in the request's locale (flashes, errors)."""
        return getattr(req.context, "t", None) or self.catalogs.translator(
            getattr(req.context, "locale", "en")
        )

    def formatter(self, req: falcon.Request) -> Formatter:
        """Return the Babel formatter of the request's locale."""
        return Formatter(getattr(req.context, "locale", "en"))

    def render(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        template: str,
        *,
        status: int = 200,
        **values,
    ) -> None:
        """Render ``template`` into ``resp`` as HTML."""
        variables = self.context(req)
        variables.setdefault("title", "")
        variables.update(values)
        resp.status = status
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self._lookup.get_template(template).render(**variables)
