"""``/admin/users``: every user, system admins, create/revoke/delete (§5.10)."""

from __future__ import annotations

import falcon

from models.accounts import mail as mailer
from models.accounts import memberships
from models.accounts import system_admins as cases
from models.errors import DomainError, NotFound
from ui import paging
from ui.guards import system_admin
from ui.resources.admin.common import actor, form, search
from ui.web import redirect


@falcon.before(system_admin)
class Users:
    """``GET /admin/users``, ``GET /admin/users/new``, ``POST /admin/users``."""

    def __init__(self, pages, db, clock, settings, envelope):
        self._pages, self._db, self._clock = pages, db, clock
        self._ui, self._envelope = settings.ui, envelope

    def on_get(self, req, resp):
        """List users (or only system admins), searchable and paged."""
        query = search(req)
        admins_only = req.get_param("filter") == "systemAdmins"
        with self._db.connection() as conn:
            page = paging.page_of(req, cases.count_users(conn, query, admins_only))
            users = cases.search_users(
                conn, query, admins_only, page.limit, page.offset
            )
        self._pages.render(
            req,
            resp,
            "admin/users.mako",
            title="Users",
            users=users,
            query=query,
            admins_only=admins_only,
            page=page,
            page_url=lambda n: paging.page_url(req, n),
        )

    def on_get_new(self, req, resp):
        """Render the new-system-admin form."""
        self._new(req, resp, {})

    def _new(self, req, resp, values, status=200):
        self._pages.render(
            req,
            resp,
            "admin/user_new.mako",
            status=status,
            title="New system admin",
            values=values,
        )

    def on_post(self, req, resp):
        """Create (or promote) a system admin and invite them."""
        values, session = form(req), req.context.session
        try:
            with self._db.connection() as conn:
                invited = cases.create_system_admin(
                    conn,
                    self._ui,
                    email=values.get("email", ""),
                    name=values.get("name", ""),
                    actor=actor(req),
                    now=self._clock.now(),
                    envelope=self._envelope,
                )
        except (DomainError, mailer.MailError) as ex:
            session.flash("error", getattr(ex, "message", str(ex)))
            return self._new(req, resp, values, status=422)
        session.flash("alert", f"Successfully created system admin '{invited.email}'")
        if invited.set_password_url and not invited.mailed:
            # No system SMTP: the admin hands the link over themselves.
            session.flash(
                "warning",
                "No system email is configured; send this set-password link: "
                + invited.set_password_url,
            )
        raise redirect(f"/admin/users/{invited.user_id}")


@falcon.before(system_admin)
class User:
    """``GET|DELETE /admin/users/{id}``, revoke admin, revoke sessions."""

    def __init__(self, pages, db, clock):
        self._pages, self._db, self._clock = pages, db, clock

    def on_get(self, req, resp, user_id):
        """Show the user and their memberships."""
        with self._db.connection() as conn:
            user = cases.get_user(conn, user_id)
            if user is None:
                raise falcon.HTTPNotFound()
            members = memberships.for_user(conn, user.id)
        self._pages.render(
            req,
            resp,
            "admin/user_show.mako",
            title=user.name,
            u=user,
            user_memberships=members,
        )

    def on_delete(self, req, resp, user_id):
        """Hard-delete the user (not oneself)."""
        self._act(req, cases.delete_user, user_id, "Successfully deleted user")
        raise redirect("/admin/users")

    def on_delete_revoke(self, req, resp, user_id):
        """Take the system-admin flag away (not from oneself)."""
        self._act(req, cases.revoke_system_admin, user_id, "Successfully revoked")
        raise redirect(f"/admin/users/{user_id}")

    def on_post_sessions(self, req, resp, user_id):
        """Sign the user out of every session."""
        try:
            with self._db.connection() as conn:
                cases.revoke_sessions(
                    conn, user_id, actor=actor(req), now=self._clock.now()
                )
        except NotFound:
            raise falcon.HTTPNotFound() from None
        req.context.session.flash("alert", "Successfully revoked all sessions")
        raise redirect(f"/admin/users/{user_id}")

    def _act(self, req, case, user_id: int, done: str) -> None:
        session = req.context.session
        try:
            with self._db.connection() as conn:
                case(conn, user_id, actor=actor(req), actor_user_id=req.context.user.id)
        except NotFound:
            raise falcon.HTTPNotFound() from None
        except DomainError as ex:
            session.flash("error", ex.message)
            raise redirect(f"/admin/users/{user_id}") from None
        session.flash("alert", done)
