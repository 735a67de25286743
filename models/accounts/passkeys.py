"""Passkeys (WebAuthn): register, sign in with, list, rename and remove.

The ``webauthn`` library checks every ceremony (challenge, origin, RP id,
signature, sign count). Challenges live in the encrypted session cookie and
are single use: the caller pops them before verifying, so a replayed
response meets no challenge. Refused assertions are audited and change
nothing; a good one advances the stored sign count with a conditional
update, so one assertion counts once even when two requests race.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

import psycopg
import webauthn
from webauthn.helpers import bytes_to_base64url
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from db.queries.accounts import passkeys as pk_q
from db.queries.accounts.passkeys import Passkey
from db.rows import User
from models import audit

SYSTEM_REALM = 0  # audit entries about people, not about one realm
RP_NAME = "ENCV"
TIMEOUT_MS = 120_000
# A challenge older than this is refused even if still in the session.
CHALLENGE_SECONDS = 300
_TRANSPORTS = {t.value for t in AuthenticatorTransport}


class PasskeyReason(StrEnum):
    """Why a passkey ceremony was refused (stable keys for the UI's texts)."""

    REFUSED = "refused"
    NAME_INVALID = "name-invalid"
    ALREADY_REGISTERED = "already-registered"


_TEXTS = {
    PasskeyReason.REFUSED: "The passkey was not accepted.",
    PasskeyReason.NAME_INVALID: "Give the passkey a name of 1 to 100 characters.",
    PasskeyReason.ALREADY_REGISTERED: "This passkey is already registered.",
}


class PasskeyError(ValueError):
    """A passkey ceremony was refused; ``str(ex)`` is English, ``reason`` its key."""

    def __init__(self, reason: PasskeyReason = PasskeyReason.REFUSED):
        super().__init__(_TEXTS[reason])
        self.reason = reason


@dataclass(frozen=True)
class RelyingParty:
    """Who the passkeys belong to: the RP id (a host name) and the web origin."""

    rp_id: str
    origin: str


def _descriptor(key: Passkey) -> PublicKeyCredentialDescriptor:
    transports = [AuthenticatorTransport(t) for t in key.transports if t in _TRANSPORTS]
    return PublicKeyCredentialDescriptor(id=key.credential_id, transports=transports)


def user_handle(user_id: int) -> bytes:
    """Return the WebAuthn user handle of a user (no personal data in it)."""
    return f"encv-user:{user_id}".encode()


def _user_from_handle(handle: bytes | None) -> int | None:
    text = (handle or b"").decode(errors="replace")
    prefix = "encv-user:"
    return (
        int(text[len(prefix) :])
        if text.startswith(prefix) and text[len(prefix) :].isdigit()
        else None
    )


def new_challenge(options, now: dt.datetime) -> tuple[str, dict]:
    """Return the options as browser JSON and the session record of their challenge."""
    record = {"c": bytes_to_base64url(options.challenge), "at": int(now.timestamp())}
    return webauthn.options_to_json(options), record


def registration_options(
    conn: psycopg.Connection, rp: RelyingParty, user: User, now: dt.datetime
) -> tuple[str, dict]:
    """Return creation options (JSON) and the challenge record to keep."""
    options = webauthn.generate_registration_options(
        rp_id=rp.rp_id,
        rp_name=RP_NAME,
        user_id=user_handle(user.id),
        user_name=user.email,
        user_display_name=user.name or user.email,
        timeout=TIMEOUT_MS,
        # Discoverable, so the same passkey can also sign in without an address.
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[_descriptor(k) for k in pk_q.list_passkeys(conn, user.id)],
    )
    return new_challenge(options, now)


def authentication_options(
    conn: psycopg.Connection, rp: RelyingParty, user_id: int | None, now: dt.datetime
) -> tuple[str, dict]:
    """Return request options for one user's passkeys (or any, when None)."""
    allowed = [] if user_id is None else pk_q.list_passkeys(conn, user_id)
    options = webauthn.generate_authentication_options(
        rp_id=rp.rp_id,
        timeout=TIMEOUT_MS,
        allow_credentials=[_descriptor(k) for k in allowed],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return new_challenge(options, now)


def _challenge(record: dict | None, now: dt.datetime) -> bytes:
    if not isinstance(record, dict) or not record.get("c"):
        raise PasskeyError(PasskeyReason.REFUSED)
    if now.timestamp() - record.get("at", 0) > CHALLENGE_SECONDS:
        raise PasskeyError(PasskeyReason.REFUSED)
    return webauthn.base64url_to_bytes(record["c"])


def _credential(raw: str) -> dict:
    try:
        credential = json.loads(raw or "")
    except ValueError:
        raise PasskeyError(PasskeyReason.REFUSED) from None
    if not isinstance(credential, dict):
        raise PasskeyError(PasskeyReason.REFUSED)
    return credential


def register(
    conn: psycopg.Connection,
    rp: RelyingParty,
    *,
    user: User,
    actor: audit.Actor,
    name: str,
    credential: str,
    challenge: dict | None,
    now: dt.datetime,
) -> int:
    """Verify a creation response against the popped challenge and store it."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise PasskeyError(PasskeyReason.NAME_INVALID)
    expected = _challenge(challenge, now)
    data = _credential(credential)
    try:
        verified = webauthn.verify_registration_response(
            credential=data,
            expected_challenge=expected,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            require_user_verification=True,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError):
        raise PasskeyError(PasskeyReason.REFUSED) from None
    transports = (data.get("response") or {}).get("transports") or []
    transports = [t for t in transports if t in _TRANSPORTS]
    with conn.transaction():
        new_id = pk_q.insert_passkey(
            conn,
            user_id=user.id,
            credential_id=verified.credential_id,
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
            transports=transports,
            friendly_name=name,
            at=now,
        )
        if new_id is None:
            raise PasskeyError(PasskeyReason.ALREADY_REGISTERED)
        _audit(conn, actor, "added passkey", user, name)
    return new_id


def _audit(
    conn, actor: audit.Actor, action: str, user: User | None, detail: str
) -> None:
    target = f"users:{user.id}" if user else "passkeys:unknown"
    audit.record(
        conn,
        realm_id=SYSTEM_REALM,
        actor=actor,
        action=action,
        target_id=target,
        target_display=(user.email if user else "unknown credential"),
        diff=detail,
    )


def _refuse(conn, action: str, user_id: int | None, detail: str) -> NoReturn:
    """Audit a refused passkey sign-in in its own transaction and raise."""
    actor = (
        audit.Actor(f"users:{user_id}", "passkey sign-in") if user_id else audit.SYSTEM
    )
    with conn.transaction():
        audit.record(
            conn,
            realm_id=SYSTEM_REALM,
            actor=actor,
            action=action,
            target_id=f"users:{user_id}" if user_id else "passkeys:unknown",
            target_display="passkey sign-in",
            diff=detail,
        )
    raise PasskeyError(PasskeyReason.REFUSED)


def authenticate(
    conn: psycopg.Connection,
    rp: RelyingParty,
    *,
    credential: str,
    challenge: dict | None,
    expected_user_id: int | None,
    now: dt.datetime,
) -> int:
    """Verify an assertion; return the user id it proves. Refusals are audited.

    ``expected_user_id`` is the user of the password step when the passkey is
    the second factor; None for a username-less sign-in, where the user
    handle the authenticator returns must name the credential's owner.
    """
    expected = _challenge(challenge, now)
    data = _credential(credential)
    try:
        raw_id = webauthn.base64url_to_bytes(
            str(data.get("rawId") or data.get("id") or "")
        )
    except ValueError:
        raise PasskeyError(PasskeyReason.REFUSED) from None
    key = pk_q.get_by_credential_id(conn, raw_id) if raw_id else None
    if key is None:
        _refuse(
            conn,
            "refused unknown passkey",
            expected_user_id,
            bytes_to_base64url(raw_id)[:64],
        )
    if expected_user_id is not None and key.user_id != expected_user_id:
        _refuse(
            conn, "refused passkey of another user", expected_user_id, key.friendly_name
        )
    if expected_user_id is None:
        handle = (data.get("response") or {}).get("userHandle")
        try:
            handle_bytes = webauthn.base64url_to_bytes(handle) if handle else None
        except ValueError:
            handle_bytes = None
        if _user_from_handle(handle_bytes) != key.user_id:
            _refuse(
                conn,
                "refused passkey with a wrong user handle",
                key.user_id,
                key.friendly_name,
            )
    try:
        verified = webauthn.verify_authentication_response(
            credential=data,
            expected_challenge=expected,
            expected_rp_id=rp.rp_id,
            expected_origin=rp.origin,
            credential_public_key=key.public_key,
            credential_current_sign_count=key.sign_count,
            require_user_verification=True,
        )
    except InvalidAuthenticationResponse as ex:
        action = (
            "refused passkey sign count regression"
            if "sign count" in str(ex).lower()
            else "refused passkey assertion"
        )
        _refuse(conn, action, key.user_id, f"{key.friendly_name}: {ex}"[:500])
    except (ValueError, KeyError, TypeError):
        _refuse(conn, "refused passkey assertion", key.user_id, key.friendly_name)
    with conn.transaction():
        if (
            pk_q.use_passkey(conn, key.id, key.sign_count, verified.new_sign_count, now)
            != 1
        ):
            raise PasskeyError(PasskeyReason.REFUSED)
    return key.user_id


def list_passkeys(conn: psycopg.Connection, user_id: int) -> list[Passkey]:
    """Return the user's passkeys, oldest first."""
    return pk_q.list_passkeys(conn, user_id)


def has_passkeys(conn: psycopg.Connection, user_id: int) -> bool:
    """Say whether the user registered at least one passkey."""
    return bool(pk_q.list_passkeys(conn, user_id))


def rename(conn: psycopg.Connection, user_id: int, passkey_id: int, name: str) -> bool:
    """Rename one of the user's passkeys; False if it was not theirs."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise PasskeyError(PasskeyReason.NAME_INVALID)
    with conn.transaction():
        return pk_q.rename_passkey(conn, user_id, passkey_id, name) == 1


def remove(
    conn: psycopg.Connection,
    *,
    user_id: int,
    actor: audit.Actor,
    passkey_id: int,
    realm_id: int = SYSTEM_REALM,
) -> str | None:
    """Remove one of a user's passkeys (by them, or a realm admin for a lost one).

    Audited in ``realm_id`` (the admin's realm); returns the passkey's name,
    None when the user has no such passkey.
    """
    with conn.transaction():
        name = pk_q.delete_passkey(conn, user_id, passkey_id)
        if name is not None:
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action="removed passkey",
                target_id=f"users:{user_id}",
                target_display=name,
            )
    return name


def may_sign_in_alone(conn: psycopg.Connection, user_id: int) -> bool:
    """Say whether one of the user's realms allows passkey-only sign-in."""
    return bool(pk_q.passkey_signin_realms(conn, user_id))


def relying_party(ui) -> RelyingParty:
    """Return the relying party of the server surface's settings."""
    return RelyingParty(rp_id=ui.webauthn_rp_id, origin=ui.webauthn_origin)
