"""Self-service account flows: password reset, invitations, email checks."""

from __future__ import annotations

import datetime as dt
import logging

import psycopg

from db.crypto import Envelope
from db.queries.accounts import auth as auth_q
from db.queries.accounts import memberships as members_q
from db.queries.accounts import users as users_q
from db.queries.realms import core as realms_q
from db.rows import Realm
from models.accounts import action_tokens as account_tokens
from models.accounts import mail as mailer
from models.accounts.passwords import hash_password
from models.accounts.signin import SigninError, SigninReason, password_problems
from models.settings import UiSettings

log = logging.getLogger(__name__)


def action_link(ui: UiSettings, mode: str, token: str) -> str:
    """Return the manage-account link carrying an action token.

    Only the configured public URL is used: a request's Host header is the
    attacker's choice (reset-link poisoning).
    """
    if not ui.server_endpoint:
        raise mailer.MailError("SERVER_ENDPOINT is not configured")
    return f"{ui.server_endpoint}/login/manage-account?mode={mode}&oobCode={token}"


def _realm_for(conn, user_id: int, realm_id: int | None) -> Realm | None:
    members = members_q.list_for_user(conn, user_id)
    ids = [member.realm_id for member in members]
    # The requester's realm only if the account belongs to it: nobody picks
    # the wording or the SMTP server of a mail to somebody else's inbox.
    chosen = realm_id if realm_id in ids else (ids[0] if ids else None)
    return realms_q.get_realm(conn, chosen) if chosen else None


def request_password_reset(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    email: str,
    realm_id: int | None,
    now: dt.datetime,
    envelope: Envelope | None = None,
) -> bool:
    """Mail a reset link to a known address under its hourly limit; say if sent."""
    user = users_q.get_user_by_email(conn, (email or "").strip())
    if user is None:
        return False
    since = now - dt.timedelta(hours=1)
    recent = auth_q.count_tokens_since(conn, user.id, (account_tokens.RESET,), since)
    if recent >= ui.reset_mails_per_hour:
        log.warning("reset mail to user %s skipped: hourly limit reached", user.id)
        return False
    realm = _realm_for(conn, user.id, realm_id)
    _mail_link(
        conn, ui, user, realm, now, account_tokens.RESET, "resetPassword", envelope
    )
    return True


def admin_reset_password(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    user_id: int,
    realm: Realm | None,
    now: dt.datetime,
    envelope: Envelope | None = None,
) -> None:
    """Reset on an admin's behalf: older links die, a fresh one is mailed."""
    user = users_q.get_user(conn, user_id)
    with conn.transaction():
        auth_q.revoke_password_links(conn, user.id, now)
        _mail_link(
            conn, ui, user, realm, now, account_tokens.RESET, "resetPassword", envelope
        )


_TEMPLATES = {
    account_tokens.RESET: "reset_password",
    account_tokens.INVITE: "invite",
    account_tokens.VERIFY: "verify_email",
}


def _mail_link(
    conn, ui, user, realm, now, purpose, mode, envelope=None, deliver=True
) -> str:
    """Issue a single-use token of ``purpose``, mail its link, return the link."""
    transport = mailer.transport_for(conn, ui, realm, envelope) if deliver else None
    with conn.transaction():
        token = account_tokens.issue(conn, user_id=user.id, purpose=purpose, now=now)
        link = action_link(ui, mode, token)
        if transport is not None:
            # Sending inside the transaction: a failed send leaves no live token.
            body = mailer.compose(_TEMPLATES[purpose], realm, link)
            mailer.send(transport, user.email, body)
    return link


def send_invite(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    user_id: int,
    realm: Realm | None,
    now: dt.datetime,
    envelope: Envelope | None = None,
    deliver: bool = True,
) -> str:
    """Mail an invitation (a set-your-password link) to a user; return the link.

    With ``deliver=False`` nothing is mailed (the command line prints the link).
    """
    user = users_q.get_user(conn, user_id)
    # Invitation links are password-reset links with the invite wording.
    return _mail_link(
        conn,
        ui,
        user,
        realm,
        now,
        account_tokens.INVITE,
        "resetPassword",
        envelope,
        deliver,
    )


def reset_email(conn: psycopg.Connection, token: str, now: dt.datetime) -> str:
    """Return the address a reset token is for (raises TokenError)."""
    user_id = account_tokens.peek(conn, token, account_tokens.PASSWORD_PURPOSES, now)
    return users_q.get_user(conn, user_id).email


def reset_password(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    token: str,
    password: str,
    now: dt.datetime,
) -> str:
    """Set a new password with a reset/invite token; return the email."""
    problems = password_problems(ui, password, None)
    if problems:
        raise SigninError(SigninReason.PASSWORD_RULES, problems)
    with conn.transaction():
        user_id = account_tokens.consume(
            conn, token, account_tokens.PASSWORD_PURPOSES, now
        )
        # Also spends every other reset/invite link of the user.
        auth_q.set_password(conn, user_id, hash_password(password), now)
        # Whoever can read the mailbox has proven the address.
        auth_q.set_email_verified(conn, user_id, now)
        return users_q.get_user(conn, user_id).email


def send_verification(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    user_id: int,
    realm: Realm | None,
    now: dt.datetime,
    envelope: Envelope | None = None,
) -> None:
    """Mail an email-verification link to the user."""
    user = users_q.get_user(conn, user_id)
    _mail_link(
        conn, ui, user, realm, now, account_tokens.VERIFY, "verifyEmail", envelope
    )


def verify_email(conn: psycopg.Connection, token: str, now: dt.datetime) -> None:
    """Apply a verification token (raises TokenError)."""
    with conn.transaction():
        user_id = account_tokens.consume(conn, token, (account_tokens.VERIFY,), now)
        auth_q.set_email_verified(conn, user_id, now)
