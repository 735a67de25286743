"""API keys: the v2 key format, generation and validation (protocol §2)."""

from __future__ import annotations

import hmac
import os
import re
from enum import IntEnum

import psycopg

from db.queries.realms import apikeys as q
from db.rows import AuthorizedApp
from models.crypto import b64url_raw, hmac_sha512_b64url, tolerant_b64decode
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


# Keys are base64 (either alphabet, padding tolerated); a v2 key is
# random.realm.signature with an ASCII decimal realm id. Anything else, a
# space, a control or a non-ASCII character anywhere included, is refused
# rather than cleaned (the original strips such characters). The lengths are
# generous bounds (a v2 key is about 185 characters) that keep int() and the
# HMACs away from megabyte inputs.
_B64 = r"[A-Za-z0-9_\-+/]+={0,2}"
_V1_KEY = re.compile(rf"{_B64}")
_V2_KEY = re.compile(rf"([A-Za-z0-9_\-]{{1,128}})\.([0-9]{{1,18}})\.({_B64})")
MAX_KEY_LENGTH = 512


def _parse(raw_key: str) -> tuple[str, str, str] | None:
    """Split a v2 key into its parts; None when it is not a well-formed v2 key."""
    if len(raw_key) > MAX_KEY_LENGTH:
        return None
    match = _V2_KEY.fullmatch(raw_key)
    return match.groups() if match else None


def well_formed(raw_key: str) -> bool:
    """Say whether ``raw_key`` (already trimmed) uses only the key alphabet."""
    if len(raw_key) > MAX_KEY_LENGTH:
        return False
    if "." in raw_key:
        return _parse(raw_key) is not None
    return _V1_KEY.fullmatch(raw_key) is not None


def realm_hint(raw_key: str) -> int | None:
    """Return the realm id segment of a well-formed v2 key, unchecked."""
    parts = _parse(raw_key.strip())
    return int(parts[1]) if parts else None


def authenticate(
    conn: psycopg.Connection, secrets: Secrets, raw_key: str
) -> AuthorizedApp | None:
    """Return the live key row for ``raw_key``, or None if it is not valid."""
    raw_key = raw_key.strip()
    if not raw_key or not well_formed(raw_key):
        return None
    if "." not in raw_key:
        # Legacy v1 key: the whole string is the secret, any realm.
        hmacs = secrets.hmac_all(conn, "api_key_database_hmac", raw_key)
        return q.find_authorized_app(conn, hmacs, None)
    parts = _parse(raw_key)
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
    if not matched:
        return None
    hmacs = secrets.hmac_all(conn, "api_key_database_hmac", parts[0])
    return q.find_authorized_app(conn, hmacs, int(parts[1]))


def record_use(conn: psycopg.Connection, app_id: int) -> None:
    """Note that a key was used (coarse 15-minute steps, so hot keys rarely write)."""
    q.touch_authorized_app(conn, app_id)
