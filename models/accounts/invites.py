"""Inviting people to choose a password: address and name rules, the link.

Used for system admins (``system_admins``); realm members are added and
invited through ``members.invite_member``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import psycopg

from db.crypto import Envelope
from db.queries.accounts import admin_users as admin_users_q
from db.queries.accounts import users as users_q
from db.rows import Realm, User
from models.accounts import action_tokens
from models.accounts import mail as mailer
from models.accounts.flows import action_link
from models.errors import InvalidInput
from models.settings import UiSettings

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_NAME = 100


@dataclass(frozen=True)
class Invited:
    """A user added to a realm (or made system admin) and their invitation."""

    user_id: int
    email: str
    realm_id: int | None
    # None when the user already has a password (nothing to set).
    set_password_url: str | None
    mailed: bool
    created: bool


def clean_email(raw: str) -> str:
    """Return a trimmed email address or raise InvalidInput."""
    email = (raw or "").strip()
    if not EMAIL_RE.fullmatch(email):
        raise InvalidInput(f"{email!r} is not a valid email address")
    return email


def clean_person_name(raw: str | None, email: str) -> str:
    """Return a trimmed display name, the address's local part when blank."""
    name = (raw or "").strip() or email.split("@", 1)[0]
    if len(name) > MAX_NAME:
        raise InvalidInput(f"name must be at most {MAX_NAME} characters")
    return name


def find_or_create_user(
    conn: psycopg.Connection, email: str, name: str
) -> tuple[User, bool]:
    """Return the user with ``email`` (created if new) and whether it was created."""
    user_id = admin_users_q.insert_user(conn, email=email, name=name)
    if user_id is not None:
        return users_q.get_user(conn, user_id), True
    return users_q.get_user_by_email(conn, email), False


def invite(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    user: User,
    realm: Realm | None,
    now: dt.datetime,
    envelope: Envelope | None = None,
    system_only: bool = False,
) -> tuple[str | None, bool]:
    """Issue a set-password link and mail it when SMTP is configured.

    Returns (link, mailed); the link is None when the user has a password.
    Call inside the caller's transaction: a failed send rolls the token back.
    """
    if user.password_hash:
        return None, False
    token = action_tokens.issue(
        conn, user_id=user.id, purpose=action_tokens.INVITE, now=now
    )
    link = action_link(ui, "resetPassword", token)
    try:
        transport = mailer.transport_for(
            conn, ui, realm, envelope, system_only=system_only
        )
    except mailer.MailError:
        return link, False  # no SMTP anywhere: the caller hands the link over
    name = "System Admin" if system_only else None
    mailer.send(transport, user.email, mailer.compose("invite", realm, link, name))
    return link, True
