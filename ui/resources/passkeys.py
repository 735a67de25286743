"""Passkeys: ``/account/passkeys`` (add, remove) and ``/session/passkey-options``.

Options endpoints answer JSON for ``ui/static/js/passkeys.js``; the browser's
response then comes back in an ordinary form post (CSRF field, post/redirect/
get). Each challenge is kept in the session and popped by the step that uses
it, so it serves one ceremony only.
"""

from __future__ import annotations

import falcon

from api.common.middleware import form_value
from models import audit
from models.accounts import members, passkeys
from models.accounts.rbac import Permission
from ui.guards import requires, signed_in
from ui.refusals import refusal_text
from ui.resources.mfa import REAUTH
from ui.resources.signin import PASSKEY_CHALLENGE, PENDING_SECONDS
from ui.web import redirect

REGISTER_CHALLENGE = "pk_reg"


def _json_options(resp, options_json: str) -> None:
    resp.content_type = falcon.MEDIA_JSON
    resp.text = options_json


def _actor(user) -> audit.Actor:
    return audit.user_actor(user.id, user.name, user.email)


class SigninOptions:
    """``POST /session/passkey-options``: a challenge for the sign-in step.

    After a good password (a pending step) the options name that user's
    passkeys; without one they name none, for a discoverable passkey alone.
    """

    def __init__(self, db, clock, settings):
        self._db = db
        self._clock = clock
        self._rp = passkeys.relying_party(settings.ui)

    def on_post(self, req, resp):
        """Answer request options and remember their challenge."""
        session, now = req.context.session, self._clock.now()
        pending = session.data.get("pending") or {}
        uid = None
        if pending and now.timestamp() - pending.get("at", 0) <= PENDING_SECONDS:
            uid = pending["uid"]
        with self._db.connection() as conn:
            options, record = passkeys.authentication_options(conn, self._rp, uid, now)
        session.data[PASSKEY_CHALLENGE] = record
        _json_options(resp, options)


@falcon.before(signed_in)
class AccountPasskeys:
    """``/account/passkeys``: register a passkey; ``/{id}``: remove one."""

    def __init__(self, db, clock, settings):
        self._db = db
        self._clock = clock
        self._rp = passkeys.relying_party(settings.ui)

    def on_post_options(self, req, resp):
        """Answer creation options (a recent sign-in is required)."""
        ctx = req.context
        if not ctx.session.fresh(ctx.now):
            resp.status = falcon.HTTP_401
            resp.media = {"error": ctx.t("mfa.passkey-sign-in-again"), "reauth": REAUTH}
            return
        with self._db.connection() as conn:
            options, record = passkeys.registration_options(
                conn, self._rp, ctx.user, ctx.now
            )
        ctx.session.data[REGISTER_CHALLENGE] = record
        _json_options(resp, options)

    def on_post(self, req, resp):
        """Verify the browser's new credential and store it under a name."""
        ctx = req.context
        challenge = ctx.session.data.pop(REGISTER_CHALLENGE, None)
        if not ctx.session.fresh(ctx.now):
            raise redirect(REAUTH)
        try:
            with self._db.connection() as conn:
                passkeys.register(
                    conn,
                    self._rp,
                    user=ctx.user,
                    actor=_actor(ctx.user),
                    name=form_value(req, "name") or "",
                    credential=form_value(req, "credential") or "",
                    challenge=challenge,
                    now=ctx.now,
                )
        except passkeys.PasskeyError as ex:
            ctx.session.flash("error", refusal_text(ctx, ex))
            raise redirect("/account") from None
        # The authenticator verified the person just now: a second factor.
        ctx.session.data["mfa"] = True
        ctx.session.flash("alert", ctx.t("mfa.passkey-added"))
        raise redirect("/account")

    def on_delete_passkey(self, req, resp, passkey_id: int):
        """Remove one of one's own passkeys (``_method=DELETE``)."""
        ctx = req.context
        with self._db.connection() as conn:
            removed = passkeys.remove(
                conn, user_id=ctx.user.id, actor=_actor(ctx.user), passkey_id=passkey_id
            )
        _removed_flash(ctx, removed)
        raise redirect("/account")


def _removed_flash(ctx, name: str | None) -> None:
    t = ctx.t
    ctx.session.flash(
        "alert" if name else "error",
        t("mfa.passkey-removed", name) if name else t("mfa.passkey-no-such"),
    )


class MemberPasskeys:
    """``/realm/users/{id}/passkeys/{pk}``: a realm admin removes a lost passkey."""

    def __init__(self, db):
        self._db = db

    @requires(Permission.USER_WRITE)
    def on_delete(self, req, resp, user_id: int, passkey_id: int):
        """Remove a member's passkey (``_method=DELETE``); audited in the realm."""
        ctx = req.context
        with self._db.connection() as conn:
            if members.get_member(conn, ctx.realm.id, user_id) is None:
                raise falcon.HTTPUnauthorized(description="unauthorized")
            removed = passkeys.remove(
                conn,
                user_id=user_id,
                actor=_actor(ctx.user),
                passkey_id=passkey_id,
                realm_id=ctx.realm.id,
            )
        _removed_flash(ctx, removed)
        raise redirect(f"/realm/users/{user_id}")


def register(app: falcon.App, services, pages) -> None:
    """Add the passkey routes to the server app."""
    settings = services.settings
    account = AccountPasskeys(services.db, services.clock, settings)
    app.add_route("/account/passkeys", account)
    app.add_route("/account/passkeys/options", account, suffix="options")
    app.add_route(
        "/account/passkeys/{passkey_id:int(min=1)}", account, suffix="passkey"
    )
    app.add_route(
        "/realm/users/{user_id:int(min=1)}/passkeys/{passkey_id:int(min=1)}",
        MemberPasskeys(services.db),
    )
    app.add_route(
        "/session/passkey-options",
        SigninOptions(services.db, services.clock, settings),
    )
