"""Route guards (Falcon hooks): sign-in, realm membership gates, permissions.

Every realm route is decorated with ``@requires(Permission.X)``, which runs
the §1.2 "Realm" chain: membership, password age, firewall, email
verification, MFA, then the permission bit. Failures answer 401 (never 403).
"""

from __future__ import annotations

import falcon

from api.common.auth import request_ip
from models.accounts import memberships, signin
from models.accounts.rbac import Permission
from models.network import ip_allowed
from ui.web import redirect, wants_json


def _unauthorized(req: falcon.Request) -> falcon.HTTPUnauthorized:
    return falcon.HTTPUnauthorized(description="unauthorized")


def signed_in(req: falcon.Request, resp, resource, params) -> None:
    """Let only signed-in users through (anonymous browsers go to sign-in)."""
    if req.context.user is not None:
        return
    if wants_json(req):
        raise _unauthorized(req)
    raise redirect("/")


def system_admin(req: falcon.Request, resp, resource, params) -> None:
    """Let only system administrators through."""
    signed_in(req, resp, resource, params)
    if not req.context.user.system_admin:
        raise _unauthorized(req)


class RealmGate:
    """The realm chain of §1.2 followed by one permission check."""

    def __init__(self, permission: Permission | None):
        self.permission = permission

    def __call__(self, req: falcon.Request, resp, resource, params) -> None:
        """Raise a redirect or 401 unless the member may use this route."""
        signed_in(req, resp, resource, params)
        ctx, session = req.context, req.context.session
        if ctx.membership is None or ctx.realm is None:
            if wants_json(req):
                raise falcon.HTTPBadRequest(description="missing realm")
            session.flash("error", ctx.t("login.select-realm-first"))
            raise redirect("/login/select-realm")
        realm, now = ctx.realm, ctx.now
        status, left = signin.rotation_status(
            ctx.user,
            realm.password_rotation_period_days,
            realm.password_rotation_warning_days,
            now,
        )
        if status == "expired":
            session.flash("error", ctx.t("password.change-required"))
            raise redirect("/login/change-password")
        if status == "warn" and not session.data.get("pwd_warned"):
            session.data["pwd_warned"] = True
            session.flash("warning", _rotation_warning(ctx.t, left))
        if not ip_allowed(realm.allowed_cidrs_server, request_ip(req)):
            raise _unauthorized(req)
        if session.data.get("pk_only") and not realm.allow_passkey_signin:
            # Signed in with a passkey alone, where this realm asks for more.
            session.sign_out()
            session.flash("error", ctx.t("login.use-password"))
            raise redirect("/")
        self._email_gate(ctx, session)
        self._mfa_gate(ctx, session)
        if self.permission is not None and not (
            ctx.membership.permissions & self.permission
        ):
            raise _unauthorized(req)

    @staticmethod
    def _email_gate(ctx, session) -> None:
        mode = ctx.realm.email_verified_mode
        if ctx.user.email_verified_at is not None:
            return
        if mode == memberships.MODE_REQUIRED or (
            mode == memberships.MODE_PROMPT and not session.data.get("email_prompted")
        ):
            raise redirect("/login/manage-account?mode=verifyEmail")

    @staticmethod
    def _mfa_gate(ctx, session) -> None:
        mode = memberships.effective_mfa_mode(ctx.realm, ctx.membership, ctx.now)
        if not session.data.get("mfa") and (
            mode == memberships.MODE_REQUIRED
            or (
                mode == memberships.MODE_PROMPT and not session.data.get("mfa_prompted")
            )
        ):
            raise redirect("/login/register-phone")
        session.data["mfa_prompted"] = True


def requires(permission: Permission | None = None):
    """Decorate a responder or resource with the realm chain and a permission."""
    return falcon.before(RealmGate(permission))


def _rotation_warning(t, left) -> str:
    unit, count = signin.rotation_left(left)
    if unit == "days":
        return t("password.change-required-days", count)
    if unit == "hours":
        return t("password.change-required-hours", count)
    return t("password.change-required-soon")
