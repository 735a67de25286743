"""Password reset and email verification by emailed links (§3.3)."""

from __future__ import annotations

from api.common.auth import request_ip
from api.common.middleware import form_value
from models.accounts import flows as account_flows
from models.accounts import mail as mailer
from models.accounts import memberships
from models.accounts.action_tokens import TokenError
from models.accounts.signin import SigninError
from ui.refusals import refusal_text
from ui.web import redirect


class ResetPassword:
    """``/login/reset-password``: ask for a reset link."""

    def __init__(self, pages, clock, resets):
        self._pages = pages
        self._clock = clock
        self._resets = resets

    def on_get(self, req, resp):
        """Render the email form."""
        self._pages.render(
            req,
            resp,
            "login/reset_password.mako",
            title=req.context.t("login.reset-password"),
        )

    def on_post(self, req, resp):
        """Queue the mail and answer the same whether the address is known or not."""
        session = req.context.session
        self._resets.request(
            email=form_value(req, "email") or "",
            realm_id=session.data.get("realm"),
            client=request_ip(req),
            now=self._clock.now(),
        )
        session.flash("alert", req.context.t("login.reset-sent"))
        raise redirect("/login/reset-password")


class ManageAccount:
    """``/login/manage-account``: reset-password and verify-email modes."""

    def __init__(self, pages, db, clock, settings, envelope=None):
        self._pages = pages
        self._db = db
        self._clock = clock
        self._ui = settings.ui
        # Opens the sealed SMTP password of an email config.
        self._envelope = envelope

    def on_get(self, req, resp):
        """Show the reset form, apply a verify link, or offer verification."""
        mode, token = req.get_param("mode"), req.get_param("oobCode")
        if mode == "resetPassword":
            return self._reset_form(req, resp, token)
        if mode in ("verifyEmail", "recoverEmail") and token:
            return self._apply_verification(req, token)
        if mode == "verifyEmail" and req.context.user is not None:
            return self._verify_prompt(req, resp)
        raise redirect("/")

    def on_post(self, req, resp):
        """Set a new password with a token, or send a verification email."""
        mode, token = req.get_param("mode"), req.get_param("oobCode")
        session = req.context.session
        if mode == "resetPassword":
            try:
                with self._db.connection() as conn:
                    account_flows.reset_password(
                        conn,
                        self._ui,
                        token=token or "",
                        password=form_value(req, "password") or "",
                        now=self._clock.now(),
                    )
            except SigninError as ex:
                session.flash(
                    "error",
                    req.context.t(
                        "login.select-password-failed", refusal_text(req.context, ex)
                    ),
                )
                return self._reset_form(req, resp, token, status=422)
            except TokenError as ex:
                session.flash(
                    "error",
                    req.context.t(
                        "password.change-failed", refusal_text(req.context, ex)
                    ),
                )
                return self._reset_form(req, resp, token, status=422)
            session.flash("alert", req.context.t("login.password-selected"))
            raise redirect("/")
        if mode == "verifyEmail" and req.context.user is not None:
            return self._send_verification(req)
        raise redirect("/")

    def _reset_form(self, req, resp, token, status: int = 200):
        t = req.context.t
        email, problem = None, None
        if not token:
            problem = t("login.reset-token-missing")
        else:
            try:
                with self._db.connection() as conn:
                    email = account_flows.reset_email(conn, token, self._clock.now())
            except TokenError as ex:
                problem = t("login.reset-token-failed", refusal_text(req.context, ex))
        self._pages.render(
            req,
            resp,
            "login/choose_password.mako",
            status=status,
            title=req.context.t("login.choose-password"),
            email=email,
            problem=problem,
            token=token or "",
            min_length=self._ui.password_min_length,
        )

    def _apply_verification(self, req, token):
        session = req.context.session
        try:
            with self._db.connection() as conn:
                account_flows.verify_email(conn, token, self._clock.now())
        except TokenError as ex:
            session.flash(
                "error",
                req.context.t("account.verify-failed", refusal_text(req.context, ex)),
            )
            raise redirect("/") from ex
        session.flash("alert", req.context.t("account.email-verified-flash"))
        raise redirect("/")

    def _verify_prompt(self, req, resp):
        ctx = req.context
        ctx.session.data["email_prompted"] = True
        required = (
            ctx.realm is not None
            and ctx.realm.email_verified_mode == memberships.MODE_REQUIRED
        )
        self._pages.render(
            req,
            resp,
            "login/verify_email.mako",
            title=req.context.t("account.verify-email"),
            required=required,
        )

    def _send_verification(self, req):
        ctx = req.context
        if ctx.realm is None:
            ctx.session.flash("error", ctx.t("login.select-realm-first"))
            raise redirect("/login/select-realm")
        try:
            with self._db.connection() as conn:
                account_flows.send_verification(
                    conn,
                    self._ui,
                    user_id=ctx.user.id,
                    realm=ctx.realm,
                    now=self._clock.now(),
                    envelope=self._envelope,
                )
        except mailer.MailError as ex:
            ctx.session.flash("error", ctx.t("account.verify-send-failed", ex))
            raise redirect("/login/manage-account?mode=verifyEmail") from ex
        ctx.session.flash("alert", ctx.t("account.verify-sent"))
        raise redirect("/login/manage-account?mode=verifyEmail")
