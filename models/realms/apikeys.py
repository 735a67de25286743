"""API keys: the v2 key format, generation and validation (protocol §2)."""

from __future__ import annotations

import hmac
import os
import re
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


class StaleApiKey(Exception):
    """A cached API key changed (disabled, renamed, re-keyed) since it was cached.

    Raised by use cases whose statements check the key themselves; the API
    layer then looks the key up again (401 when it is no longer valid).
    """


class ApiKeyError(InvalidInput):
    """Bad input for an API key; ``fields`` maps form fields to messages."""


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


def _target(app_id: int) -> str:
    return f"authorized_apps:{app_id}"


def _clean_name(conn, realm_id: int, name: str, app_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ApiKeyError("name cannot be blank", {"name": "cannot be blank"})
    other = q.get_authorized_app_by_name(conn, realm_id, name)
    if other is not None and other.id != app_id:
        raise ApiKeyError("name must be unique", {"name": "must be unique"})
    return name


def issue_key(
    conn: psycopg.Connection,
    secrets: Secrets,
    *,
    realm_id: int,
    name: str,
    key_type: int,
    actor: audit.Actor,
) -> tuple[str, int]:
    """Create an API key and its audit entry in one transaction.

    Returns (plaintext, id); the plaintext exists only in this return value.
    """
    try:
        key_type = KeyType(int(key_type))
    except (TypeError, ValueError) as ex:
        raise ApiKeyError("type is invalid", {"type": "is invalid"}) from ex
    try:
        with conn.transaction():
            if realms_q.get_realm(conn, realm_id) is None:
                raise ApiKeyError(f"unknown realm {realm_id}")
            name = _clean_name(conn, realm_id, name)
            plaintext, app_id = create_api_key(
                conn, secrets, realm_id=realm_id, name=name, key_type=key_type
            )
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action="created API key",
                target_id=_target(app_id),
                target_display=name,
            )
    except psycopg.errors.UniqueViolation as ex:  # a concurrent create won
        raise ApiKeyError("name must be unique", {"name": "must be unique"}) from ex
    return plaintext, app_id


def get_key(
    conn: psycopg.Connection, realm_id: int, app_id: int
) -> AuthorizedApp | None:
    """Return one of the realm's keys (disabled included), or None."""
    return q.get_realm_app(conn, realm_id, app_id)


def search_keys(
    conn: psycopg.Connection, realm_id: int, search: str, *, limit: int, offset: int
) -> tuple[int, list[AuthorizedApp]]:
    """Return (total, one page) of the realm's keys matching name or preview."""
    search = (search or "").strip()
    total = q.count_realm_apps(conn, realm_id, search)
    rows = q.list_realm_apps(conn, realm_id, search, limit=limit, offset=offset)
    return total, rows


def rename_key(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    app_id: int,
    name: str,
    actor: audit.Actor,
) -> AuthorizedApp:
    """Rename one of the realm's keys (audited); return the updated row."""
    try:
        with conn.transaction():
            app = q.get_realm_app(conn, realm_id, app_id, lock=True)
            if app is None:
                raise ApiKeyError("API key not found")
            name = _clean_name(conn, realm_id, name, app_id)
            if name != app.name:
                q.rename_authorized_app(conn, app_id, name)
                audit.record(
                    conn,
                    realm_id=realm_id,
                    actor=actor,
                    action="updated API key name",
                    target_id=_target(app_id),
                    target_display=name,
                    diff=audit.change(app.name, name),
                )
            return q.get_realm_app(conn, realm_id, app_id)
    except psycopg.errors.UniqueViolation as ex:
        raise ApiKeyError("name must be unique", {"name": "must be unique"}) from ex


def set_key_enabled(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    app_id: int,
    enabled: bool,
    actor: audit.Actor,
) -> AuthorizedApp:
    """Disable or re-enable a key (audited).

    Disabling bumps the row's ``updated_at``, which the API surfaces compare
    on every request (see :func:`key_is_current`), so the very next request
    with the key is refused whatever the cache holds.
    """
    with conn.transaction():
        app = q.get_realm_app(conn, realm_id, app_id, lock=True)
        if app is None:
            raise ApiKeyError("API key not found")
        if (app.deleted_at is None) != enabled:
            q.set_authorized_app_enabled(conn, app_id, enabled)
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action="updated API key enabled",
                target_id=_target(app_id),
                target_display=app.name,
                diff=audit.change(str(not enabled).lower(), str(enabled).lower()),
            )
        return app


def key_version(app: AuthorizedApp) -> str:
    """Return the version stamp a cached key lookup is checked against."""
    return app.updated_at.isoformat()


def key_is_current(conn: psycopg.Connection, app_id: int, version: str) -> bool:
    """Say whether a cached key lookup still holds: live and not changed since."""
    return q.authorized_app_current(conn, app_id, version)
