"""``GET /account`` and ``/login/change-password``."""

from __future__ import annotations

import falcon

from api.common.i18n import Formatter
from api.common.middleware import form_value
from models.accounts import mfa, passkeys, signin
from ui.guards import signed_in
from ui.refusals import refusal_text
from ui.web import redirect


def ago(delta_seconds: float, fmt: Formatter | None = None) -> str:
    """Return "N days/hours/minutes/seconds" the way §3.3 buckets them."""
    if delta_seconds > 48 * 3600:
        count, unit = int(delta_seconds // 86400), "day"
    elif delta_seconds > 2 * 3600:
        count, unit = int(delta_seconds // 3600), "hour"
    elif delta_seconds > 120:
        count, unit = int(delta_seconds // 60), "minute"
    else:
        count, unit = int(delta_seconds), "second"
    return (fmt or Formatter("en")).units(count, unit)


@falcon.before(signed_in)
class Account:
    """The signed-in person's own account page."""

    def __init__(self, pages, db, clock):
        self._pages = pages
        self._db = db
        self._clock = clock

    def on_get(self, req, resp):
        """Show name, email, verification, MFA and password age."""
        user = req.context.user
        with self._db.connection() as conn:
            factors = mfa.list_factors(conn, user.id)
            keys = passkeys.list_passkeys(conn, user.id)
        changed = signin.password_changed_at(user)
        self._pages.render(
            req,
            resp,
            "account/show.mako",
            title=req.context.t("account.title"),
            factors=factors,
            passkeys=keys,
            fresh=req.context.session.fresh(req.context.now),
            password_age=ago(
                (self._clock.now() - changed).total_seconds(),
                self._pages.formatter(req),
            ),
        )


@falcon.before(signed_in)
class ChangePassword:
    """Change one's own password (current password required)."""

    def __init__(self, pages, db, clock, settings):
        self._pages = pages
        self._db = db
        self._clock = clock
        self._ui = settings.ui

    def on_get(self, req, resp):
        """Render the form."""
        self._render(req, resp)

    def on_post(self, req, resp):
        """Verify, validate and store the new password."""
        ctx = req.context
        now = self._clock.now()
        try:
            with self._db.connection() as conn:
                signin.change_password(
                    conn,
                    self._ui,
                    user=ctx.user,
                    current=form_value(req, "current_password") or "",
                    new=form_value(req, "password") or "",
                    confirm=form_value(req, "password_confirm") or "",
                    now=now,
                )
        except signin.SigninError as ex:
            ctx.session.flash("error", refusal_text(ctx, ex))
            return self._render(req, resp, status=422)
        # The change revoked every older session, this one included: renew it.
        ctx.session.sign_in(
            ctx.user.id, ctx.user.email, now, ctx.session.data.get("mfa")
        )
        if ctx.membership is not None:
            ctx.session.data["realm"] = ctx.membership.realm_id
        ctx.session.flash("alert", ctx.t("password.changed"))
        raise redirect("/login/post-authenticate")

    def _render(self, req, resp, status: int = 200):
        self._pages.render(
            req,
            resp,
            "account/change_password.mako",
            status=status,
            title=req.context.t("account.change-password"),
            min_length=self._ui.password_min_length,
        )
