"""TOTP second factors: enrol with a QR code, confirm, list, delete, check."""

from __future__ import annotations

import datetime as dt
import hmac
from enum import StrEnum

import psycopg
import pyotp
import segno

from db.crypto import Envelope
from db.queries.accounts import auth as auth_q

ISSUER = "ENCV"


class MfaReason(StrEnum):
    """Why a TOTP enrolment was refused (stable keys for the UI's texts)."""

    DISPLAY_NAME_REQUIRED = "display-name-required"
    CODE_MISMATCH = "code-mismatch"


class MfaError(ValueError):
    """A TOTP enrolment or check failed; ``reason`` keys the shown text."""

    def __init__(self, message: str, reason: MfaReason):
        super().__init__(message)
        self.reason = reason


def new_secret() -> str:
    """Return a fresh base32 TOTP secret."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """Return the otpauth:// URI an authenticator app scans."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """Return the QR code of ``uri`` as an SVG data URI (no external service)."""
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """Return the time step (±1 around ``now``) whose code is ``code``, if any."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_matches(secret: str, code: str, now: dt.datetime) -> bool:
    """Say whether ``code`` is valid at ``now`` with one step of tolerance."""
    return matching_step(secret, code, now) is not None


def confirm_factor(
    conn: psycopg.Connection,
    envelope: Envelope,
    *,
    user_id: int,
    display_name: str,
    secret: str,
    code: str,
    now: dt.datetime,
) -> int:
    """Store a factor once the user proved their app computes ``code``."""
    display_name = (display_name or "").strip()
    if not display_name:
        raise MfaError("Display name is required.", MfaReason.DISPLAY_NAME_REQUIRED)
    if not code_matches(secret, code, now):
        raise MfaError(
            "The code did not match. Check your device's time.",
            MfaReason.CODE_MISMATCH,
        )
    sealed = envelope.encrypt_text(secret, f"mfa:{user_id}")
    with conn.transaction():
        return auth_q.insert_factor(
            conn,
            user_id=user_id,
            display_name=display_name[:100],
            secret_encrypted=sealed,
            at=now,
        )


def list_factors(conn: psycopg.Connection, user_id: int) -> list[auth_q.MfaFactor]:
    """Return the user's factors, sorted by display name."""
    return auth_q.list_factors(conn, user_id)


def delete_factor(conn: psycopg.Connection, user_id: int, factor_id: int) -> bool:
    """Delete one of the user's factors; False if it was not theirs."""
    with conn.transaction():
        return auth_q.delete_factor(conn, user_id, factor_id) == 1


def check_any(
    conn: psycopg.Connection,
    envelope: Envelope,
    user_id: int,
    code: str,
    now: dt.datetime,
) -> bool:
    """Say whether ``code`` matches a factor at a step not used before; spend it.

    Each time step signs in once per user: the step is recorded with a
    conditional update, so a replayed code (or an older step's code once a
    newer one was used) is refused even when two sessions race.
    """
    for factor in auth_q.list_factors(conn, user_id):
        secret = envelope.decrypt_text(factor.totp_secret_encrypted, f"mfa:{user_id}")
        step = matching_step(secret, code, now)
        if step is not None:
            with conn.transaction():
                return auth_q.use_totp_step(conn, user_id, step) == 1
    return False
