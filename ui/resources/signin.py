"""Sign-in: ``GET /``, ``POST /session``, ``GET /login``, ``GET /signout``."""

from __future__ import annotations

import falcon

from api.common.middleware import form_value
from models.accounts import passkeys, signin
from models.accounts.firebase import FirebaseTokenError
from ui.guards import signed_in
from ui.refusals import refusal_text
from ui.web import redirect, wants_json

REAUTH_REDIR = "login/register-phone"
# The second-factor step must follow the password within 5 minutes.
PENDING_SECONDS = 300
PASSKEY_CHALLENGE = "pk_auth"  # session key of the pending sign-in challenge


def reauth_redir(value: str | None) -> str:
    """Return the one allowed ``redir`` value, or "" for anything else.

    Only this constant ever reaches a Location header, so CR/LF, absolute
    URLs and ``//host`` forms end at ``/`` instead of an error or elsewhere.
    """
    return REAUTH_REDIR if value == REAUTH_REDIR else ""


def _field(req: falcon.Request, name: str) -> str:
    if req.content_type and req.content_type.startswith(falcon.MEDIA_JSON):
        return str(req.get_media(default_when_empty={}).get(name) or "")
    return form_value(req, name) or ""


class Home:
    """``GET /``: the sign-in form, or onwards when already signed in."""

    def __init__(self, pages, provider: str, firebase_config: dict):
        self._pages = pages
        self._provider = provider
        self._firebase = firebase_config

    def on_get(self, req, resp):
        """Render the sign-in page or send a signed-in user onwards."""
        if req.context.user is not None:
            raise redirect("/login/post-authenticate")
        self._pages.render(
            req,
            resp,
            "login/signin.mako",
            title=req.context.t("login.sign-in"),
            provider=self._provider,
            firebase=self._firebase,
            reauth_email=None,
        )


@falcon.before(signed_in)
class Reauth:
    """``GET /login?redir=login/register-phone``: sign in again for MFA changes."""

    def __init__(self, pages, provider: str, firebase_config: dict):
        self._pages = pages
        self._provider = provider
        self._firebase = firebase_config

    def on_get(self, req, resp):
        """Render the refresh-authentication form."""
        if req.context.user is None or not reauth_redir(req.get_param("redir")):
            raise redirect("/")
        req.context.session.flash("alert", req.context.t("login.reauth-required"))
        self._pages.render(
            req,
            resp,
            "login/signin.mako",
            title=req.context.t("login.sign-in"),
            provider=self._provider,
            firebase=self._firebase,
            reauth_email=req.context.user.email,
        )


class SessionCreate:
    """``POST /session``: the only endpoint that creates a signed-in session."""

    def __init__(self, pages, db, clock, settings, envelope, verifier=None):
        self._pages = pages
        self._db = db
        self._clock = clock
        self._ui = settings.ui
        self._envelope = envelope
        self._verifier = verifier
        self._rp = passkeys.relying_party(settings.ui)

    def on_post(self, req, resp):
        """Check credentials (and TOTP), then start the session."""
        session, now = req.context.session, self._clock.now()
        try:
            with self._db.connection() as conn:
                if self._verifier is not None:
                    user, mfa_done = self._firebase(conn, req, now), None
                elif _field(req, "passkey"):
                    user, mfa_done = self._passkey_step(conn, req, now), True
                elif _field(req, "totp"):
                    user, mfa_done = self._totp_step(conn, req, now), True
                else:
                    result = signin.check_password(
                        conn,
                        self._ui,
                        self._envelope,
                        email=_field(req, "email"),
                        password=_field(req, "password"),
                        now=now,
                    )
                    if result.needs_totp:
                        return self._ask_totp(req, resp, result, now)
                    user, mfa_done = result.user, False
        except (signin.SigninError, FirebaseTokenError) as ex:
            return self._failed(req, resp, refusal_text(req.context, ex))
        session.data.pop("pending", None)
        mfa = mfa_done if mfa_done is not None else session.data.pop("fb_mfa", False)
        alone = session.data.pop("pk_alone", False)
        session.sign_in(user.id, user.email, now, mfa=bool(mfa))
        # Realms that do not allow passkey-only sign-in refuse such sessions.
        session.data["pk_only"] = alone
        target = (
            "/" + REAUTH_REDIR
            if reauth_redir(_field(req, "redir"))
            else "/login/select-realm"
        )
        if wants_json(req):
            resp.media = {"ok": True, "redirect": target}
            return None
        raise redirect(target)

    def _firebase(self, conn, req, now):
        identity = self._verifier.verify(_field(req, "idToken"), now)
        user = signin.get_user_by_email(conn, identity.email)
        if user is None:
            raise signin.SigninError(signin.SigninReason.FAILED)
        req.context.session.data["fb_mfa"] = identity.mfa
        return user

    def _passkey_step(self, conn, req, now):
        """Second factor after a pending password step, else passkey alone."""
        session = req.context.session
        challenge = session.data.pop(PASSKEY_CHALLENGE, None)
        pending = session.data.get("pending") or {}
        uid = None
        if pending:
            if now.timestamp() - pending.get("at", 0) > PENDING_SECONDS:
                raise signin.SigninError(signin.SigninReason.FAILED)
            uid = pending["uid"]
        user = signin.check_passkey(
            conn,
            self._rp,
            credential=_field(req, "passkey"),
            challenge=challenge,
            user_id=uid,
            now=now,
        )
        session.data["pk_alone"] = uid is None
        return user

    def _totp_step(self, conn, req, now):
        pending = req.context.session.data.get("pending") or {}
        if not pending or now.timestamp() - pending.get("at", 0) > PENDING_SECONDS:
            raise signin.SigninError(signin.SigninReason.FAILED)
        return signin.check_totp(
            conn,
            self._ui,
            self._envelope,
            user_id=pending["uid"],
            code=_field(req, "totp"),
            now=now,
        )

    def _ask_totp(self, req, resp, result, now):
        req.context.session.data["pending"] = {
            "uid": result.user.id,
            "at": int(now.timestamp()),
        }
        if wants_json(req):
            resp.media = {"ok": False, "totp": result.totp, "passkey": result.passkey}
            return
        self._pages.render(
            req,
            resp,
            "login/totp.mako",
            title=req.context.t("login.sign-in"),
            redir=reauth_redir(_field(req, "redir")),
            totp=result.totp,
            passkey=result.passkey,
        )

    def _failed(self, req, resp, message: str):
        req.context.session.data.pop("pending", None)
        if wants_json(req):
            resp.status = falcon.HTTP_401
            resp.media = {"error": message}
            return
        # Post/redirect/get: a reload of the answer does not post again.
        req.context.session.flash("error", message)
        if reauth_redir(_field(req, "redir")) and req.context.user is not None:
            raise redirect("/login?redir=" + REAUTH_REDIR)
        raise redirect("/")


class SignOut:
    """``GET /signout``: revoke every session of the user and start over."""

    def __init__(self, db, clock):
        self._db = db
        self._clock = clock

    def on_get(self, req, resp):
        """Revoke, wipe the session (flashes survive) and go to ``/``."""
        user = req.context.user
        if user is not None:
            with self._db.connection() as conn:
                signin.sign_out(conn, user.id, self._clock.now())
        req.context.session.sign_out()
        raise redirect("/")
