"""API keys: the v2 key format, generation and validation (protocol §2)."""

from __future__ import annotations

import hmac
import os
import string
from enum import IntEnum

import psycopg

from db.queries.realms import apikeys as q
from db.queries.realms import core as realms_q
from db.rows import AuthorizedApp
from models import audit
from models.crypto import b64url_raw, hmac_sha512_b64url, tolerant_b64decode
from models.errors import InvalidInput
from models.secrets import Secrets


class KeyType(IntEnum):
    """Stored ``authorized_apps.api_key_type`` values."""

    DEVICE = 0
    ADMIN = 1
    STATS = 2


def _sign(secrets: Secrets, conn: psycopg.Connection, body: str) -> str:
    key = secrets.keys(conn, "api_key_signature_hmac")[0]
    return hmac_sha512_b64url(key, body)


def new_key_material(secrets: Secrets, conn: psycopg.Connection, realm_id: int):
    """Return (plaintext key, preview, stored hmac) for a fresh v2 key."""
    random_part = b64url_raw(os.urandom(64))
    body = f"{random_part}.{realm_id}"
    plaintext = f"{body}.{_sign(secrets, conn, body)}"
    key_hmac = secrets.hmac_first(conn, "api_key_database_hmac", random_part)
    return plaintext, random_part[:6], key_hmac


def create_api_key(
    conn: psycopg.Connection,
    secrets: Secrets,
    *,
    realm_id: int,
    name: str,
    key_type: KeyType,
) -> tuple[str, int]:
    """Create an API key; return (plaintext shown once, row id)."""
    plaintext, preview, key_hmac = new_key_material(secrets, conn, realm_id)
    app_id = q.insert_authorized_app(
        conn,
        realm_id=realm_id,
        name=name,
        preview=preview,
        key_hmac=key_hmac,
        key_type=int(key_type),
    )
    return plaintext, app_id


def issue_key(
    conn: psycopg.Connection,
    secrets: Secrets,
    *,
    realm_id: int,
    name: str,
    key_type: KeyType,
    actor: audit.Actor,
) -> tuple[str, int]:
    """Validate, create and audit an API key; return (plaintext once, row id)."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("API key name cannot be blank")
    with conn.transaction():
        if realms_q.get_realm(conn, realm_id) is None:
            raise InvalidInput(f"unknown realm {realm_id}")
        if q.get_authorized_app_by_name(conn, realm_id, name) is not None:
            raise InvalidInput(f"an API key named {name!r} already exists in the realm")
        plaintext, app_id = create_api_key(
            conn, secrets, realm_id=realm_id, name=name, key_type=key_type
        )
        audit.record(
            conn,
            realm_id=realm_id,
            actor=actor,
            action="created API key",
            target_id=f"authorized_apps:{app_id}",
            target_display=name,
        )
    return plaintext, app_id


def realm_hint(raw_key: str) -> int | None:
    """Return the realm id segment of a v2 key without checking anything."""
    parts = raw_key.strip().split(".", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return int(parts[1])
    return None


def _clean(raw: str) -> str:
    return "".join(
        ch for ch in raw.strip() if ch in string.printable and not ch.isspace()
    )


def authenticate(
    conn: psycopg.Connection, secrets: Secrets, raw_key: str
) -> AuthorizedApp | None:
    """Return the live key row for ``raw_key``, or None if it is not valid."""
    raw_key = raw_key.strip()
    if not raw_key:
        return None
    if "." not in raw_key:
        # Legacy v1 key: the whole string is the secret, any realm.
        hmacs = secrets.hmac_all(conn, "api_key_database_hmac", raw_key)
        return q.find_authorized_app(conn, hmacs, None)
    parts = _clean(raw_key).split(".", 2)
    if len(parts) != 3 or not parts[0] or not parts[1]:
        return None
    try:
        given = tolerant_b64decode(parts[2])
    except ValueError:
        return None
    body = f"{parts[0]}.{parts[1]}"
    matched = False
    # Compare against every signing key without short-circuiting.
    for key in secrets.keys(conn, "api_key_signature_hmac"):
        expected = tolerant_b64decode(hmac_sha512_b64url(key, body))
        matched |= hmac.compare_digest(expected, given)
    if not matched or not parts[1].isdigit():
        return None
    hmacs = secrets.hmac_all(conn, "api_key_database_hmac", parts[0])
    return q.find_authorized_app(conn, hmacs, int(parts[1]))


def record_use(conn: psycopg.Connection, app_id: int) -> None:
    """Note that a key was used (coarse 15-minute steps, so hot keys rarely write)."""
    q.touch_authorized_app(conn, app_id)
