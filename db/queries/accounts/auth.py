"""Queries behind built-in sign-in: counters, MFA factors, action tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class MfaFactor:
    """One enrolled TOTP factor (secret still sealed)."""

    id: int
    user_id: int
    display_name: str
    totp_secret_encrypted: str
    created_at: dt.datetime


@dataclass(frozen=True)
class AuthToken:
    """A single-use action token (only its hash is stored)."""

    id: int
    user_id: int
    purpose: str
    expires_at: dt.datetime
    used_at: dt.datetime | None


def record_failed_signin(
    conn: psycopg.Connection,
    user_id: int,
    *,
    max_failures: int,
    lock_until: dt.datetime,
    at: dt.datetime,
    forget_before: dt.datetime,
) -> int:
    """Count a failed sign-in (older failures forgotten); lock at the limit."""
    return conn.execute(
        "WITH counted AS (SELECT id, CASE WHEN last_failed_signin IS NULL"
        " OR last_failed_signin < %(forget)s THEN 1 ELSE failed_logins + 1 END AS n"
        " FROM users WHERE id = %(id)s FOR UPDATE)"
        " UPDATE users u SET failed_logins = c.n, last_failed_signin = %(at)s,"
        " locked_until = CASE WHEN c.n >= %(max)s THEN %(until)s"
        " ELSE u.locked_until END FROM counted c WHERE u.id = c.id"
        " RETURNING u.failed_logins",
        {
            "id": user_id,
            "max": max_failures,
            "until": lock_until,
            "at": at,
            "forget": forget_before,
        },
    ).fetchone()[0]


def reset_failed_signins(conn: psycopg.Connection, user_id: int) -> None:
    """Clear the failure counter and any lock after a good sign-in."""
    conn.execute(
        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = %(id)s",
        {"id": user_id},
    )


def revoke_sessions(conn: psycopg.Connection, user_id: int, at: dt.datetime) -> None:
    """Invalidate every session of the user issued before ``at``."""
    conn.execute(
        "UPDATE users SET sessions_valid_after = %(at)s, last_revoke_check = NULL"
        " WHERE id = %(id)s",
        {"id": user_id, "at": at},
    )


def set_password(
    conn: psycopg.Connection, user_id: int, password_hash: str, at: dt.datetime
) -> int:
    """Store a password hash changed at ``at``; revoke older sessions and links."""
    # A link mailed for the old password must not outlive it (issue 19).
    revoke_password_links(conn, user_id, at)
    return conn.execute(
        "UPDATE users SET password_hash = %(hash)s, last_password_change = %(at)s,"
        " failed_logins = 0, locked_until = NULL, sessions_valid_after = %(at)s,"
        " updated_at = %(at)s WHERE id = %(id)s",
        {"hash": password_hash, "id": user_id, "at": at},
    ).rowcount


def revoke_password_links(
    conn: psycopg.Connection, user_id: int, at: dt.datetime | None
) -> int:
    """Spend every unused reset and invitation link of the user (at ``at`` or now)."""
    return conn.execute(
        "UPDATE auth_tokens SET used_at = coalesce(%(at)s, now())"
        " WHERE user_id = %(id)s AND used_at IS NULL"
        " AND purpose IN ('reset_password', 'invite')",
        {"id": user_id, "at": at},
    ).rowcount


def count_tokens_since(
    conn: psycopg.Connection,
    user_id: int,
    purposes: tuple[str, ...],
    since: dt.datetime,
) -> int:
    """Count the user's tokens of ``purposes`` issued after ``since``."""
    return conn.execute(
        "SELECT count(*) FROM auth_tokens WHERE user_id = %(id)s"
        " AND purpose = ANY(%(purposes)s) AND created_at > %(since)s",
        {"id": user_id, "purposes": list(purposes), "since": since},
    ).fetchone()[0]


def use_totp_step(conn: psycopg.Connection, user_id: int, step: int) -> int:
    """Record ``step`` as used unless it (or a later one) already was."""
    return conn.execute(
        "UPDATE users SET totp_last_step = %(step)s WHERE id = %(id)s"
        " AND (totp_last_step IS NULL OR totp_last_step < %(step)s)",
        {"id": user_id, "step": step},
    ).rowcount


def throttle_lock(conn: psycopg.Connection, address_hash: str) -> dt.datetime | None:
    """Return until when an address without account is locked, if it is."""
    row = conn.execute(
        "SELECT locked_until FROM signin_throttle WHERE address_hash = %(hash)s",
        {"hash": address_hash},
    ).fetchone()
    return row[0] if row else None


def record_throttle_failure(
    conn: psycopg.Connection,
    address_hash: str,
    *,
    max_failures: int,
    lock_until: dt.datetime,
    at: dt.datetime,
    forget_before: dt.datetime,
) -> int:
    """Count a failed sign-in of an address without account, as for users."""
    return conn.execute(
        "INSERT INTO signin_throttle AS t (address_hash, failures, locked_until,"
        " updated_at) VALUES (%(hash)s, 1,"
        " CASE WHEN 1 >= %(max)s THEN %(until)s::timestamptz END, %(at)s)"
        " ON CONFLICT (address_hash) DO UPDATE SET failures = CASE"
        " WHEN t.updated_at < %(forget)s THEN 1 ELSE t.failures + 1 END,"
        " locked_until = CASE WHEN (CASE WHEN t.updated_at < %(forget)s THEN 1"
        " ELSE t.failures + 1 END) >= %(max)s THEN %(until)s"
        " ELSE t.locked_until END, updated_at = %(at)s RETURNING failures",
        {
            "hash": address_hash,
            "max": max_failures,
            "until": lock_until,
            "at": at,
            "forget": forget_before,
        },
    ).fetchone()[0]


def purge_throttle(conn: psycopg.Connection, before: dt.datetime) -> int:
    """Forget failure counts of addresses without account untouched since ``before``."""
    return conn.execute(
        "DELETE FROM signin_throttle WHERE updated_at < %(before)s",
        {"before": before},
    ).rowcount


def set_email_verified(conn: psycopg.Connection, user_id: int, at: dt.datetime) -> None:
    """Record the time the user's address was verified (first time only)."""
    conn.execute(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, %(at)s)"
        " WHERE id = %(id)s",
        {"id": user_id, "at": at},
    )


def list_factors(conn: psycopg.Connection, user_id: int) -> list[MfaFactor]:
    """Return the user's TOTP factors sorted by display name."""
    with conn.cursor(row_factory=class_row(MfaFactor)) as cur:
        return cur.execute(
            "SELECT id, user_id, display_name, totp_secret_encrypted, created_at"
            " FROM mfa_factors WHERE user_id = %(uid)s ORDER BY display_name, id",
            {"uid": user_id},
        ).fetchall()


def insert_factor(
    conn: psycopg.Connection,
    *,
    user_id: int,
    display_name: str,
    secret_encrypted: str,
    at: dt.datetime,
) -> int:
    """Store a confirmed TOTP factor; return its id."""
    return conn.execute(
        "INSERT INTO mfa_factors (user_id, display_name, totp_secret_encrypted,"
        " created_at) VALUES (%(uid)s, %(name)s, %(secret)s, %(at)s) RETURNING id",
        {"uid": user_id, "name": display_name, "secret": secret_encrypted, "at": at},
    ).fetchone()[0]


def delete_factor(conn: psycopg.Connection, user_id: int, factor_id: int) -> int:
    """Delete one of the user's factors; return rows deleted."""
    return conn.execute(
        "DELETE FROM mfa_factors WHERE id = %(id)s AND user_id = %(uid)s",
        {"id": factor_id, "uid": user_id},
    ).rowcount


def insert_token(
    conn: psycopg.Connection,
    *,
    user_id: int,
    purpose: str,
    token_hash: str,
    expires_at: dt.datetime,
    at: dt.datetime,
) -> int:
    """Store the hash of a new action token; return its id."""
    return conn.execute(
        "INSERT INTO auth_tokens (user_id, purpose, token_hash, expires_at,"
        " created_at) VALUES (%(uid)s, %(purpose)s, %(hash)s, %(exp)s, %(at)s)"
        " RETURNING id",
        {
            "uid": user_id,
            "purpose": purpose,
            "hash": token_hash,
            "exp": expires_at,
            "at": at,
        },
    ).fetchone()[0]


def get_token(
    conn: psycopg.Connection, token_hash: str, purposes: tuple[str, ...]
) -> AuthToken | None:
    """Return the token with this hash and one of ``purposes``, locked."""
    with conn.cursor(row_factory=class_row(AuthToken)) as cur:
        return cur.execute(
            "SELECT id, user_id, purpose, expires_at, used_at FROM auth_tokens"
            " WHERE token_hash = %(hash)s AND purpose = ANY(%(purposes)s)"
            " FOR UPDATE",
            {"hash": token_hash, "purposes": list(purposes)},
        ).fetchone()


def use_token(conn: psycopg.Connection, token_id: int, at: dt.datetime) -> int:
    """Mark a token used unless it already was; return rows changed."""
    return conn.execute(
        "UPDATE auth_tokens SET used_at = %(at)s WHERE id = %(id)s AND used_at IS NULL",
        {"id": token_id, "at": at},
    ).rowcount


@dataclass(frozen=True)
class SmtpConfig:
    """Where account emails of a realm (or the system) are sent through."""

    smtp_account: str
    smtp_host: str
    smtp_port: str
    smtp_password: str


def get_email_config(
    conn: psycopg.Connection, realm_id: int | None, use_system: bool
) -> SmtpConfig | None:
    """Return the realm's SMTP config, or the system one when it uses that."""
    with conn.cursor(row_factory=class_row(SmtpConfig)) as cur:
        if realm_id is not None and not use_system:
            return cur.execute(
                "SELECT smtp_account, smtp_host, smtp_port, smtp_password"
                " FROM email_configs WHERE realm_id = %(realm)s AND NOT is_system"
                " AND deleted_at IS NULL ORDER BY id DESC LIMIT 1",
                {"realm": realm_id},
            ).fetchone()
        return cur.execute(
            "SELECT smtp_account, smtp_host, smtp_port, smtp_password"
            " FROM email_configs WHERE is_system AND deleted_at IS NULL"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
