"""Self-service account flows: password reset, invitations, email checks."""

from __future__ import annotations

import datetime as dt

import psycopg

from db.queries.accounts import auth as auth_q
from db.queries.accounts import memberships as members_q
from db.queries.accounts import users as users_q
from db.queries.realms import core as realms_q
from db.rows import Realm
from models.accounts import action_tokens as account_tokens
from models.accounts import mail as mailer
from models.accounts.passwords import hash_password
from models.accounts.signin import SigninError, password_problems
from models.settings import UiSettings


def _link(endpoint: str, mode: str, token: str) -> str:
    return f"{endpoint.rstrip('/')}/login/manage-account?mode={mode}&oobCode={token}"


def _realm_for(conn, user_id: int, realm_id: int | None) -> Realm | None:
    if realm_id:
        return realms_q.get_realm(conn, realm_id)
    members = members_q.list_for_user(conn, user_id)
    return realms_q.get_realm(conn, members[0].realm_id) if members else None


def request_password_reset(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    email: str,
    realm_id: int | None,
    endpoint: str,
    now: dt.datetime,
) -> None:
    """Mail a reset link if the address is known; silent when it is not."""
    user = users_q.get_user_by_email(conn, (email or "").strip())
    if user is None:
        return
    realm = _realm_for(conn, user.id, realm_id)
    _mail_link(
        conn,
        ui,
        user,
        realm,
        endpoint,
        now,
        account_tokens.RESET,
        "reset_password",
        "resetPassword",
    )


def _mail_link(
    conn, ui, user, realm, endpoint, now, purpose, template, mode, deliver=True
) -> str:
    """Issue a single-use token of ``purpose``, mail its link, return the link."""
    transport = mailer.transport_for(conn, ui, realm) if deliver else None
    with conn.transaction():
        token = account_tokens.issue(conn, user_id=user.id, purpose=purpose, now=now)
        link = _link(endpoint, mode, token)
        if transport is not None:
            # Sending inside the transaction: a failed send leaves no live token.
            mailer.send(transport, user.email, mailer.compose(template, realm, link))
    return link


def send_invite(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    user_id: int,
    realm: Realm | None,
    endpoint: str,
    now: dt.datetime,
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
        endpoint,
        now,
        account_tokens.INVITE,
        "invite",
        "resetPassword",
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
        raise SigninError("; ".join(problems))
    with conn.transaction():
        user_id = account_tokens.consume(
            conn, token, account_tokens.PASSWORD_PURPOSES, now
        )
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
    endpoint: str,
    now: dt.datetime,
) -> None:
    """Mail an email-verification link to the user."""
    user = users_q.get_user(conn, user_id)
    _mail_link(
        conn,
        ui,
        user,
        realm,
        endpoint,
        now,
        account_tokens.VERIFY,
        "verify_email",
        "verifyEmail",
    )


def verify_email(conn: psycopg.Connection, token: str, now: dt.datetime) -> None:
    """Apply a verification token (raises TokenError)."""
    with conn.transaction():
        user_id = account_tokens.consume(conn, token, (account_tokens.VERIFY,), now)
        auth_q.set_email_verified(conn, user_id, now)
