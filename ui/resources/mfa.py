"""``/login/register-phone``: enrol, list and delete TOTP factors."""

from __future__ import annotations

import falcon

from api.common.i18n import N_
from api.common.middleware import form_value
from models.accounts import memberships, mfa
from ui.guards import signed_in
from ui.refusals import refusal_text
from ui.web import redirect

REAUTH = "/login?redir=login/register-phone"


@falcon.before(signed_in)
class RegisterFactor:
    """TOTP enrolment page (keeps the original's route name)."""

    def __init__(self, pages, db, clock, envelope):
        self._pages = pages
        self._db = db
        self._clock = clock
        self._envelope = envelope

    def on_get(self, req, resp):
        """Show factors and a new secret as a QR code."""
        ctx = req.context
        ctx.session.data["mfa_prompted"] = True
        mode = None
        if ctx.realm is not None:
            mode = memberships.effective_mfa_mode(ctx.realm, ctx.membership, ctx.now)
            kind, message = {
                memberships.MODE_REQUIRED: ("error", N_("mfa.notice-required")),
                memberships.MODE_PROMPT: ("warning", N_("mfa.notice-prompt")),
            }.get(mode, ("warning", N_("mfa.notice-optional")))
            ctx.session.flash(kind, ctx.t(message, ctx.realm.name))
        self._render(req, resp, mode=mode)

    def on_post(self, req, resp):
        """Confirm a new factor with a code from the authenticator app."""
        ctx = req.context
        if not ctx.session.fresh(ctx.now):
            raise redirect(REAUTH)
        secret = ctx.session.data.get("mfa_secret")
        try:
            with self._db.connection() as conn:
                mfa.confirm_factor(
                    conn,
                    self._envelope,
                    user_id=ctx.user.id,
                    display_name=form_value(req, "display_name") or "",
                    secret=secret or "",
                    code=form_value(req, "code") or "",
                    now=ctx.now,
                )
        except mfa.MfaError as ex:
            ctx.session.flash("error", refusal_text(ctx, ex))
            return self._render(req, resp, status=422, mode=None)
        ctx.session.data.pop("mfa_secret", None)
        # A code was just checked: this session has passed a second factor.
        ctx.session.data["mfa"] = True
        ctx.session.flash("alert", ctx.t("mfa.added"))
        raise redirect("/login/register-phone")

    def on_delete(self, req, resp):
        """Remove one factor (``_method=DELETE`` with ``factor``)."""
        ctx = req.context
        if not ctx.session.fresh(ctx.now):
            raise redirect(REAUTH)
        raw = form_value(req, "factor") or req.get_param("factor") or ""
        with self._db.connection() as conn:
            removed = raw.isdigit() and mfa.delete_factor(conn, ctx.user.id, int(raw))
            left = mfa.list_factors(conn, ctx.user.id)
        if not left:
            ctx.session.data["mfa"] = False
        ctx.session.flash(
            "alert" if removed else "error",
            ctx.t("mfa.removed") if removed else ctx.t("mfa.no-such"),
        )
        raise redirect("/login/register-phone")

    def _render(self, req, resp, *, mode, status: int = 200):
        ctx = req.context
        secret = ctx.session.data.get("mfa_secret")
        if not secret:
            secret = ctx.session.data["mfa_secret"] = mfa.new_secret()
        with self._db.connection() as conn:
            factors = mfa.list_factors(conn, ctx.user.id)
        self._pages.render(
            req,
            resp,
            "login/register_phone.mako",
            status=status,
            title=ctx.t("mfa.title"),
            factors=factors,
            secret=secret,
            qr=mfa.qr_svg_data_uri(mfa.provisioning_uri(secret, ctx.user.email)),
            mode=mode,
            required=mode == memberships.MODE_REQUIRED,
        )
