"""Single-use action tokens for password reset, invitations and verification.

The link carries 32 random bytes; only their SHA-256 is stored, so a stolen
table cannot be replayed. Tokens are consumed under a row lock, which makes a
second use impossible even when two requests race.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from enum import StrEnum

import psycopg

from db.queries.accounts import auth as auth_q

RESET = "reset_password"
VERIFY = "verify_email"
INVITE = "invite"
LIFETIMES = {
    RESET: dt.timedelta(hours=1),
    VERIFY: dt.timedelta(hours=72),
    INVITE: dt.timedelta(hours=72),
}
# Invitation links are reset links: both let the holder choose a password.
PASSWORD_PURPOSES = (RESET, INVITE)


class TokenReason(StrEnum):
    """Why a link's token was refused (stable keys for the UI's texts)."""

    INVALID = "invalid"
    EXPIRED = "expired"


class TokenError(ValueError):
    """The token is unknown, used or expired; ``reason`` says which."""

    def __init__(self, reason: TokenReason):
        super().__init__(
            "the link has expired"
            if reason is TokenReason.EXPIRED
            else "the link is invalid or was already used"
        )
        self.reason = reason


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    conn: psycopg.Connection, *, user_id: int, purpose: str, now: dt.datetime
) -> str:
    """Create a token for ``purpose`` and return its plaintext (once)."""
    token = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    auth_q.insert_token(
        conn,
        user_id=user_id,
        purpose=purpose,
        token_hash=_hash(token),
        expires_at=now + LIFETIMES[purpose],
        at=now,
    )
    return token


def peek(
    conn: psycopg.Connection, token: str, purposes: tuple[str, ...], now: dt.datetime
) -> int:
    """Return the user id a still-valid token belongs to, without using it."""
    with conn.transaction():
        row = auth_q.get_token(conn, _hash(token or ""), purposes)
    if row is None or row.used_at is not None:
        raise TokenError(TokenReason.INVALID)
    if row.expires_at <= now:
        raise TokenError(TokenReason.EXPIRED)
    return row.user_id


def consume(
    conn: psycopg.Connection, token: str, purposes: tuple[str, ...], now: dt.datetime
) -> int:
    """Use a token inside the caller's transaction; return its user id."""
    row = auth_q.get_token(conn, _hash(token or ""), purposes)
    if row is None or row.used_at is not None:
        raise TokenError(TokenReason.INVALID)
    if row.expires_at <= now:
        raise TokenError(TokenReason.EXPIRED)
    auth_q.use_token(conn, row.id, now)
    return row.user_id
