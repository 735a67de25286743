"""The system-admin half of the web UI (``/admin/**``, ui-and-data §5.10)."""

from __future__ import annotations

import falcon

from ui.resources.admin import config, realms, system, users


def register(app: falcon.App, services, pages) -> None:
    """Add every ``/admin`` route to ``app``."""
    db, clock, settings = services.db, services.clock, services.settings
    root = realms.AdminRoot()
    app.add_route("/admin", root)
    app.add_route("/admin/", root)
    realm_list = realms.Realms(pages, db, services.keystore, clock)
    app.add_route("/admin/realms", realm_list)
    app.add_route("/admin/realms/new", realm_list, suffix="new")
    edit = realms.RealmEdit(pages, db, services.cache, clock, settings)
    app.add_route("/admin/realms/{realm_id:int}/edit", edit, suffix="edit")
    app.add_route("/admin/realms/{realm_id:int}", edit)
    app.add_route(
        "/admin/realms/{realm_id:int}/invite",
        realms.RealmInvite(db, clock, settings, services.envelope),
    )
    membership = realms.RealmMembership(db)
    app.add_route(
        "/admin/realms/{realm_id:int}/add/{user_id:int}", membership, suffix="add"
    )
    app.add_route(
        "/admin/realms/{realm_id:int}/remove/{user_id:int}",
        membership,
        suffix="remove",
    )

    people = users.Users(pages, db, clock, settings, services.envelope)
    app.add_route("/admin/users", people)
    app.add_route("/admin/users/new", people, suffix="new")
    person = users.User(pages, db, clock)
    app.add_route("/admin/users/{user_id:int}", person)
    app.add_route("/admin/users/{user_id:int}/revoke", person, suffix="revoke")
    app.add_route("/admin/users/{user_id:int}/sessions", person, suffix="sessions")

    app.add_route("/admin/user-report", system.UserReport(pages, db, services.secrets))
    apps = system.MobileApps(pages, db)
    app.add_route("/admin/mobile-apps", apps)
    app.add_route("/admin/mobile-apps/{app_id:int}", apps, suffix="item")
    app.add_route("/admin/sms", config.SmsConfig(pages, db, services.envelope))
    app.add_route("/admin/email", config.EmailConfig(pages, db, services.envelope))
    cache_pages = system.Caches(pages, db, services.cache)
    app.add_route("/admin/caches", cache_pages)
    app.add_route("/admin/caches/clear/{cache_id}", cache_pages, suffix="clear")
    app.add_route("/admin/info", system.Info(pages, db, settings))
    app.add_route(
        "/admin/stats/system.json",
        system.SystemStats(db, services.cache, clock, settings),
    )
