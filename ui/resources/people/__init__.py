"""The realm's people and clients: users, API keys and mobile apps (§5.5–5.7)."""

from __future__ import annotations

import falcon

from ui.resources.people.apikeys import ApiKeys
from ui.resources.people.mobile_apps import MobileApps
from ui.resources.people.users import Users
from ui.resources.people.users_io import UserExport, UserImport


def _family(app: falcon.App, base: str, resource, item: str) -> None:
    """Route a collection with new, item, edit and (optional) enable/disable."""
    app.add_route(base, resource)
    app.add_route(f"{base}/new", resource, suffix="new")
    app.add_route(f"{base}/{{{item}:int(min=1)}}", resource, suffix="item")
    app.add_route(f"{base}/{{{item}:int(min=1)}}/edit", resource, suffix="edit")


def register(app: falcon.App, services, pages) -> None:
    """Add the ``/realm/users``, ``/realm/apikeys``, ``/realm/mobile-apps`` routes."""
    db, ui = services.db, services.settings.ui
    users = Users(pages, db, ui, services.envelope)
    _family(app, "/realm/users", users, "user_id")
    app.add_route(
        "/realm/users/{user_id:int(min=1)}/reset-password", users, suffix="reset"
    )
    app.add_route("/realm/users/bulk-permissions/{action}", users, suffix="bulk")
    app.add_route("/realm/users/import", UserImport(pages, db, ui, services.envelope))
    app.add_route("/realm/users/export.csv", UserExport(db))

    keys = ApiKeys(pages, db, services.secrets)
    _family(app, "/realm/apikeys", keys, "app_id")
    mobile = MobileApps(pages, db, services.cache)
    _family(app, "/realm/mobile-apps", mobile, "app_id")
    for base, resource in (("/realm/apikeys", keys), ("/realm/mobile-apps", mobile)):
        app.add_route(
            f"{base}/{{app_id:int(min=1)}}/disable", resource, suffix="disable"
        )
        app.add_route(f"{base}/{{app_id:int(min=1)}}/enable", resource, suffix="enable")
