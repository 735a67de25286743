"""Built-in sign-in: passwords, lockout, TOTP step, revocation, password change.

A wrong password (or TOTP code) counts against the account; reaching
``signin_max_failures`` locks it for ``signin_lockout`` seconds, during which
even the right password is refused with the same "too many attempts" text.
Unknown addresses still cost one argon2 verification so that timing does not
reveal which accounts exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

import psycopg

from db.crypto import Envelope
from db.queries.accounts import auth as auth_q
from db.queries.accounts import users as users_q
from db.rows import User
from models.accounts import mfa, passkeys
from models.accounts.passwords import (
    Rule,
    RuleBreak,
    complexity_breaks,
    hash_password,
    verify_password,
)
from models.settings import UiSettings

SIGNIN_FAILED = "Sign-in failed. Please try again."
TOO_MANY = "Too many unsuccessful attempts. Try again later."
_DUMMY_HASH = hash_password("not-a-real-password-Aa1!")
# Dates before this are bogus (imported accounts); rotation counts from creation.
_EPOCH_2018 = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)


class SigninReason(StrEnum):
    """Why sign-in or a password change was refused (stable keys for the UI)."""

    FAILED = "failed"
    TOO_MANY = "too-many"
    USE_PASSWORD = "use-password"
    CURRENT_INCORRECT = "current-incorrect"
    PASSWORD_RULES = "password-rules"


_TEXTS = {
    SigninReason.FAILED: SIGNIN_FAILED,
    SigninReason.TOO_MANY: TOO_MANY,
    SigninReason.USE_PASSWORD: "Sign in with your email address and password.",
    SigninReason.CURRENT_INCORRECT: "Current password is incorrect.",
    SigninReason.PASSWORD_RULES: "the new password breaks the password rules",
}


class SigninError(ValueError):
    """Sign-in refused; ``str(ex)`` is the English text, ``reason`` its key.

    A new password that breaks rules carries them in ``breaks``, so that a
    surface can word each rule in the person's language.
    """

    def __init__(self, reason: SigninReason, breaks: Sequence[RuleBreak] = ()):
        self.reason = reason
        self.breaks = tuple(breaks)
        super().__init__("; ".join(b.english for b in self.breaks) or _TEXTS[reason])


@dataclass(frozen=True)
class SigninResult:
    """Outcome of the password step."""

    user: User
    needs_totp: bool  # a second factor (TOTP code or passkey) is still needed
    totp: bool = False  # the user has TOTP factors
    passkey: bool = False  # the user has passkeys


# Failures older than this stop counting, for users and unknown addresses.
FORGET_FAILURES_AFTER = dt.timedelta(days=1)


def _lock(ui: UiSettings) -> dt.timedelta:
    return dt.timedelta(seconds=ui.signin_lockout)


def _failure_window(ui: UiSettings, now: dt.datetime) -> dict:
    return {
        "max_failures": ui.signin_max_failures,
        "lock_until": now + _lock(ui),
        "at": now,
        "forget_before": now - FORGET_FAILURES_AFTER,
    }


def _fail(
    conn,
    ui: UiSettings,
    user: User,
    now: dt.datetime,
    reason: SigninReason = SigninReason.FAILED,
) -> NoReturn:
    with conn.transaction():
        count = auth_q.record_failed_signin(conn, user.id, **_failure_window(ui, now))
    raise SigninError(
        SigninReason.TOO_MANY if count >= ui.signin_max_failures else reason
    )


def _address_hash(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()


def _fail_unknown(conn, ui: UiSettings, email: str, now: dt.datetime) -> NoReturn:
    """Count a failure of an address without account exactly like a user's."""
    window = _failure_window(ui, now)
    with conn.transaction():
        count = auth_q.record_throttle_failure(conn, _address_hash(email), **window)
        # Rows past the window count nothing any more (lock over, count reset).
        auth_q.purge_throttle(conn, min(window["forget_before"], now - _lock(ui)))
    too_many = count >= ui.signin_max_failures
    raise SigninError(SigninReason.TOO_MANY if too_many else SigninReason.FAILED)


def _locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def check_password(
    conn: psycopg.Connection,
    ui: UiSettings,
    envelope: Envelope,
    *,
    email: str,
    password: str,
    now: dt.datetime,
) -> SigninResult:
    """Run the password step; say whether a TOTP code is still needed.

    Real and unknown addresses take the same path: one argon2 verification,
    one counted failure, the same lockout after the same number of tries, so
    neither the text nor the timing tells them apart (issue 19).
    """
    email = (email or "").strip()
    user = users_q.get_user_by_email(conn, email)
    if user is None:
        verify_password(_DUMMY_HASH, password or "")
        locked_until = auth_q.throttle_lock(conn, _address_hash(email))
        if locked_until is not None and locked_until > now:
            raise SigninError(SigninReason.TOO_MANY)
        _fail_unknown(conn, ui, email, now)
    good = verify_password(user.password_hash or _DUMMY_HASH, password or "")
    if _locked(user, now):
        raise SigninError(SigninReason.TOO_MANY)
    if not good or not user.password_hash:
        _fail(conn, ui, user, now)
    totp = bool(auth_q.list_factors(conn, user.id))
    passkey = passkeys.has_passkeys(conn, user.id)
    if not (totp or passkey):
        with conn.transaction():
            auth_q.reset_failed_signins(conn, user.id)
    return SigninResult(
        user=user, needs_totp=totp or passkey, totp=totp, passkey=passkey
    )


def check_totp(
    conn: psycopg.Connection,
    ui: UiSettings,
    envelope: Envelope,
    *,
    user_id: int,
    code: str,
    now: dt.datetime,
) -> User:
    """Run the TOTP step after a good password; return the user."""
    user = users_q.get_user(conn, user_id)
    if user is None:
        raise SigninError(SigninReason.FAILED)
    if _locked(user, now):
        raise SigninError(SigninReason.TOO_MANY)
    if not mfa.check_any(conn, envelope, user.id, code, now):
        _fail(conn, ui, user, now)
    with conn.transaction():
        auth_q.reset_failed_signins(conn, user.id)
    return user


def check_passkey(
    conn: psycopg.Connection,
    rp: passkeys.RelyingParty,
    *,
    credential: str,
    challenge: dict | None,
    user_id: int | None,
    now: dt.datetime,
) -> User:
    """Run a passkey step: second factor of ``user_id``, or alone when None.

    Alone, the credential's owner must belong to a realm that allows it.
    """
    try:
        owner = passkeys.authenticate(
            conn,
            rp,
            credential=credential,
            challenge=challenge,
            expected_user_id=user_id,
            now=now,
        )
    except passkeys.PasskeyError:
        raise SigninError(SigninReason.FAILED) from None
    user = users_q.get_user(conn, owner)
    if user is None or _locked(user, now):
        raise SigninError(SigninReason.TOO_MANY if user else SigninReason.FAILED)
    if user_id is None and not passkeys.may_sign_in_alone(conn, user.id):
        raise SigninError(SigninReason.USE_PASSWORD)
    with conn.transaction():
        auth_q.reset_failed_signins(conn, user.id)
    return user


def get_user(conn: psycopg.Connection, user_id: int) -> User | None:
    """Return the user behind a session."""
    return users_q.get_user(conn, user_id)


def get_user_by_email(conn: psycopg.Connection, email: str) -> User | None:
    """Return the user with this (case-insensitive) address."""
    return users_q.get_user_by_email(conn, email)


def is_revoked(user: User, auth_time: dt.datetime | None) -> bool:
    """Say whether a session established at ``auth_time`` was revoked."""
    if auth_time is None:
        return True
    valid_after = user.sessions_valid_after
    # Microseconds on both sides: a session begun earlier in the same second
    # as a sign-out or password change is revoked too (issue 19).
    return valid_after is not None and auth_time < valid_after


def sign_out(conn: psycopg.Connection, user_id: int, now: dt.datetime) -> None:
    """Revoke every session of the user (like Firebase's refresh revocation)."""
    with conn.transaction():
        auth_q.revoke_sessions(conn, user_id, now)


def password_problems(
    ui: UiSettings, password: str, confirm: str | None
) -> list[RuleBreak]:
    """Return the complexity and confirmation problems of a new password."""
    problems = complexity_breaks(password or "", min_length=ui.password_min_length)
    if confirm is not None and password != confirm:
        problems.append(RuleBreak(Rule.MISMATCH))
    return problems


def change_password(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    user: User,
    current: str,
    new: str,
    confirm: str,
    now: dt.datetime,
) -> None:
    """Change a signed-in user's password; revokes their other sessions.

    A wrong current password counts toward the sign-in lockout: a stolen
    session must not become a password-guessing oracle.
    """
    good = verify_password(user.password_hash, current or "")
    if _locked(user, now):
        raise SigninError(SigninReason.TOO_MANY)
    if not good:
        _fail(conn, ui, user, now, SigninReason.CURRENT_INCORRECT)
    problems = password_problems(ui, new, confirm)
    if problems:
        raise SigninError(SigninReason.PASSWORD_RULES, problems)
    with conn.transaction():
        auth_q.set_password(conn, user.id, hash_password(new), now)


def password_changed_at(user: User) -> dt.datetime:
    """Return when the password last changed (creation for bogus dates)."""
    changed = user.last_password_change
    if changed is None or changed < _EPOCH_2018:
        return user.created_at
    return changed


def rotation_status(
    user: User, period_days: int, warning_days: int, now: dt.datetime
) -> tuple[str, dt.timedelta | None]:
    """Return ("ok"|"warn"|"expired", time left) under the realm's rotation."""
    if period_days <= 0:
        return "ok", None
    due = password_changed_at(user) + dt.timedelta(days=period_days)
    left = due - now
    if left <= dt.timedelta(0):
        return "expired", left
    if left <= dt.timedelta(days=warning_days):
        return "warn", left
    return "ok", left


def rotation_left(left: dt.timedelta) -> tuple[str, int]:
    """Return the warning's unit (``days``, ``hours`` or ``soon``) and count (§1.3)."""
    days = int(left.total_seconds() // 86400)
    hours = int(left.total_seconds() // 3600)
    if days >= 2:
        return "days", days
    if hours >= 2:
        return "hours", hours
    return "soon", 0


def rotation_warning(left: dt.timedelta) -> str:
    """Return the title-cased English warning text for the time left (§1.3)."""
    unit, count = rotation_left(left)
    if unit == "days":
        return f"Password Change Required In {count} Days."
    if unit == "hours":
        return f"Password Change Required In {count} Hours."
    return "Password Change Required Soon."
