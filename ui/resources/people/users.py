"""``/realm/users``: list and search, invite, show, edit, remove, reset, bulk."""

from __future__ import annotations

from models.accounts import mail as mailer
from models.accounts import members, passkeys
from models.accounts.rbac import IMPLIED, PERMISSION_NAMES, Permission, names
from models.accounts.signin import SigninError
from ui import paging
from ui.guards import requires
from ui.resources.people.forms import actor, field, form, ints, not_visible
from ui.web import redirect

# What the user form says about each bit (§4.1).
HELP = {
    Permission.AUDIT_READ: "read event and audit logs",
    Permission.API_KEY_READ: "view information about API keys, including statistics",
    Permission.API_KEY_WRITE: "create, update, and delete API keys",
    Permission.CODE_ISSUE: "issue codes",
    Permission.CODE_BULK_ISSUE: "issue codes in bulk, if bulk issue is enabled on "
    "the realm",
    Permission.CODE_READ: "lookup code status",
    Permission.CODE_EXPIRE: "expire codes",
    Permission.SETTINGS_READ: "read realm settings",
    Permission.SETTINGS_WRITE: "update realm settings",
    Permission.STATS_READ: "view realm statistics",
    Permission.MOBILE_APP_READ: "view mobile app information",
    Permission.MOBILE_APP_WRITE: "create, update, and delete mobile apps",
    Permission.USER_READ: "view user information",
    Permission.USER_WRITE: "create, update, and delete users",
}
IMPLIED_BY = {int(implied): PERMISSION_NAMES[src] for src, implied in IMPLIED.items()}
PERMISSIONS = [(int(bit), name, HELP[bit]) for bit, name in PERMISSION_NAMES.items()]


class Users:
    """The realm's members; every responder checks its bit server-side."""

    def __init__(self, pages, db, ui_settings, envelope=None):
        self._pages = pages
        self._db = db
        self._ui = ui_settings
        # Opens a realm's sealed SMTP password for the mails sent from here.
        self._envelope = envelope

    # -- list and bulk -----------------------------------------------------

    @requires(Permission.USER_READ)
    def on_get(self, req, resp):
        """List members matching ``q`` (§5.5 grammar), one page at a time."""
        ctx = req.context
        query = (req.get_param("q") or "").strip()
        number, size = paging.requested(req)
        try:
            where = members.parse_search(query)
            with self._db.connection() as conn:
                total, rows = members.search(
                    conn, ctx.realm.id, where, limit=size, offset=(number - 1) * size
                )
        except members.MemberError as ex:
            ctx.session.flash("warning", f"Invalid search: {ex.message}")
            raise redirect("/realm/users") from ex
        self._pages.render(
            req,
            resp,
            "users/index.mako",
            title="Users",
            rows=rows,
            q=query,
            page=paging.Page(number, size, total),
            page_url=lambda n: paging.page_url(req, n),
            permissions=PERMISSIONS,
        )

    @requires(Permission.USER_WRITE)
    def on_post_bulk(self, req, resp, action):
        """Add or remove permissions on the selected members (all or nothing)."""
        ctx = req.context
        values = form(req)
        if action not in ("add", "remove"):
            raise not_visible()
        try:
            with self._db.connection() as conn:
                members.bulk_permissions(
                    conn,
                    realm_id=ctx.realm.id,
                    user_ids=ints(values, "user_id"),
                    permissions=ints(values, "permission"),
                    add=action == "add",
                    actor=actor(req),
                    actor_permissions=ctx.membership.permissions,
                )
        except members.MemberError as ex:
            ctx.session.flash("error", f"Failed to apply bulk permissions: {ex}")
            raise redirect("/realm/users") from ex
        ctx.session.flash("alert", "Successfully updated permissions")
        raise redirect("/realm/users")

    # -- invite --------------------------------------------------------------

    @requires(Permission.USER_WRITE)
    def on_get_new(self, req, resp):
        """Render the invitation form."""
        self._form(req, resp, None, {"name": "", "email": "", "permissions": 0})

    @requires(Permission.USER_WRITE)
    def on_post(self, req, resp):
        """Invite a member (create or reuse the user, mail the link)."""
        ctx = req.context
        values = form(req)
        typed = {
            "name": field(values, "name"),
            "email": field(values, "email"),
            "permissions": sum(set(ints(values, "permissions"))),
        }
        try:
            with self._db.connection() as conn:
                invited = members.invite_member(
                    conn,
                    self._ui,
                    realm_id=ctx.realm.id,
                    email=typed["email"],
                    name=typed["name"],
                    permissions=ints(values, "permissions"),
                    actor=actor(req),
                    actor_permissions=ctx.membership.permissions,
                    envelope=self._envelope,
                    now=ctx.now,
                )
                member = members.get_member(conn, ctx.realm.id, invited.user_id)
        except (members.MemberError, mailer.MailError) as ex:
            fields = getattr(ex, "fields", {})
            return self._form(req, resp, None, typed, str(ex), fields)
        ctx.session.flash("alert", f'Successfully created user "{member.name}"')
        raise redirect(f"/realm/users/{invited.user_id}")

    # -- one member ----------------------------------------------------------

    def _member(self, req, user_id: int):
        with self._db.connection() as conn:
            member = members.get_member(conn, req.context.realm.id, user_id)
        if member is None:
            raise not_visible()
        return member

    @requires(Permission.USER_READ)
    def on_get_item(self, req, resp, user_id):
        """Show a member and their permissions."""
        member = self._member(req, user_id)
        with self._db.connection() as conn:
            keys = passkeys.list_passkeys(conn, user_id)
        self._pages.render(
            req,
            resp,
            "users/show.mako",
            title=member.name,
            member=member,
            passkeys=keys,
            member_permissions=names(member.permissions),
            is_self=user_id == req.context.user.id,
        )

    @requires(Permission.USER_WRITE)
    def on_get_edit(self, req, resp, user_id):
        """Render the edit form (email read-only)."""
        member = self._member(req, user_id)
        typed = {
            "name": member.name,
            "email": member.email,
            "permissions": member.permissions,
        }
        self._form(req, resp, member, typed)

    @requires(Permission.USER_WRITE)
    def on_patch_item(self, req, resp, user_id):
        """Save a member's name and (unless it is oneself) permissions."""
        ctx = req.context
        member = self._member(req, user_id)
        values = form(req)
        typed = {
            "name": field(values, "name"),
            "email": member.email,
            "permissions": sum(set(ints(values, "permissions"))),
        }
        try:
            with self._db.connection() as conn:
                updated = members.update_member(
                    conn,
                    realm_id=ctx.realm.id,
                    user_id=user_id,
                    name=typed["name"],
                    permissions=ints(values, "permissions"),
                    actor=actor(req),
                    actor_permissions=ctx.membership.permissions,
                )
        except members.MemberError as ex:
            return self._form(req, resp, member, typed, ex.message, ex.fields)
        ctx.session.flash("alert", f'Successfully updated user "{updated.name}"')
        raise redirect(f"/realm/users/{user_id}")

    @requires(Permission.USER_WRITE)
    def on_delete_item(self, req, resp, user_id):
        """Remove a member from the realm (never oneself)."""
        ctx = req.context
        try:
            with self._db.connection() as conn:
                member = members.remove_member(
                    conn, realm_id=ctx.realm.id, user_id=user_id, actor=actor(req)
                )
        except members.MemberError as ex:
            if ex.message == "user not found":
                raise not_visible() from ex
            ctx.session.flash("error", f"Failed to remove user from realm: {ex}")
            raise redirect(f"/realm/users/{user_id}") from ex
        ctx.session.flash("alert", f'Successfully removed "{member.email}" from realm')
        raise redirect("/realm/users")

    @requires(Permission.USER_WRITE)
    def on_post_reset(self, req, resp, user_id):
        """Mail the member a password-reset link."""
        ctx = req.context
        self._member(req, user_id)
        try:
            with self._db.connection() as conn:
                member = members.send_password_reset(
                    conn,
                    self._ui,
                    realm_id=ctx.realm.id,
                    user_id=user_id,
                    actor=actor(req),
                    envelope=self._envelope,
                    now=ctx.now,
                )
        except (members.MemberError, mailer.MailError, SigninError) as ex:
            ctx.session.flash("error", f"Failed to send password reset: {ex}")
            raise redirect(f"/realm/users/{user_id}") from ex
        ctx.session.flash(
            "alert", f"Successfully sent password reset to {member.email}"
        )
        raise redirect(f"/realm/users/{user_id}")

    def _form(self, req, resp, member, typed, error=None, fields=None):
        ctx = req.context
        self._pages.render(
            req,
            resp,
            "users/form.mako",
            status=422 if error else 200,
            title=f"Edit {member.name}" if member else "New user",
            member=member,
            typed=typed,
            error=error,
            errors=fields or {},
            permissions=PERMISSIONS,
            implied_by=IMPLIED_BY,
            actor_permissions=ctx.membership.permissions,
            is_self=member is not None and member.user_id == ctx.user.id,
        )
