"""Rotation of token keys, realm certificate keys and secrets (operations §3).

Every write is audited as the ``Rotation`` actor. Keys and secrets are
created, then activated, then retired, and only destroyed once nothing
signed with them can still be valid.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import psycopg

from db.keystore import KeyStore
from db.queries.duties import rotation as q
from db.secrets import SecretStore
from models import audit

log = logging.getLogger(__name__)

ROTATION = audit.Actor("rotation:1", "Rotation")
HOUR = 3600.0
MAX_REALM_KEYS = 5  # DB_MAX_KEY_VERSIONS


@dataclass(frozen=True)
class SecretPolicy:
    """When to create and retire versions of one secret type (seconds)."""

    min_age: float  # create a new version when the newest is older
    max_age: float | None  # retire an active version created longer ago


@dataclass(frozen=True)
class RotationSettings:
    """Ages of operations §3 with the original's defaults."""

    token_signing_key_max_age: float = 720 * HOUR
    verification_signing_key_max_age: float = 720 * HOUR
    verification_activation_delay: float = 1 * HOUR
    secret_activation_ttl: float = 0.5 * HOUR
    secret_destroy_ttl: float = 24 * HOUR
    max_key_versions: int = MAX_REALM_KEYS
    secrets: dict[str, SecretPolicy] = field(
        default_factory=lambda: {
            "api_key_database_hmac": SecretPolicy(4320 * HOUR, None),
            "api_key_signature_hmac": SecretPolicy(4320 * HOUR, None),
            "cookie_keys": SecretPolicy(720 * HOUR, 1488 * HOUR),
            "phone_number_database_hmac": SecretPolicy(720 * HOUR, 2928 * HOUR),
            "verification_code_database_hmac": SecretPolicy(24 * HOUR, 72 * HOUR),
        }
    )


def _age(now: dt.datetime, then: dt.datetime) -> float:
    return (now - then).total_seconds()


def rotate_token_signing_key(
    conn: psycopg.Connection,
    keystore: KeyStore,
    *,
    now: dt.datetime,
    max_age: float = 720 * HOUR,
) -> str | None:
    """Create and activate a new token key when the active one is too old.

    Returns the new kid, or None when nothing was due. The old key stays
    (inactive) so tokens it signed keep verifying until cleanup destroys it.
    """
    active = q.active_token_key(conn)
    if active is not None and _age(now, active.created_at) < max_age:
        return None
    with conn.transaction():
        version = keystore.create_key_version(conn, "system/token-signing")
        key_id, kid = q.insert_token_key(conn, key_version=version, now=now)
        _audit(conn, 0, "created token signing key", f"token_signing_key:{kid}", kid)
        q.activate_token_key(conn, key_id=key_id, now=now)
        _audit(
            conn,
            0,
            "activated token signing key version",
            f"token_signing_key:{kid}",
            f"{kid} ({version})",
        )
    return kid


@dataclass
class RealmKeyReport:
    """What realm certificate rotation did, per realm."""

    created: list[str] = field(default_factory=list)
    activated: list[str] = field(default_factory=list)
    destroyed: list[str] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def create_realm_keys(
    conn: psycopg.Connection,
    keystore: KeyStore,
    *,
    now: dt.datetime,
    settings: RotationSettings,
    report: RealmKeyReport,
) -> None:
    """Phase A: give each auto-rotating realm a new key when one is due."""
    for realm_id, _name, _duration in q.auto_rotate_realms(conn):
        try:
            with conn.transaction():
                keys = q.realm_keys(conn, realm_id=realm_id)
                newest = keys[0] if keys else None
                due = newest is None or (
                    newest.active
                    and _age(now, newest.created_at)
                    >= settings.verification_signing_key_max_age
                )
                if not due:
                    continue
                if len(keys) >= settings.max_key_versions:
                    raise RuntimeError(f"realm already has {len(keys)} keys")
                first = q.realm_key_count_ever(conn, realm_id=realm_id) == 0
                version = keystore.create_key_version(conn, f"realm-{realm_id}")
                row_id = q.insert_realm_key(
                    conn, realm_id=realm_id, key_id=version, active=first, now=now
                )
                kid = f"r{realm_id}v{row_id}"
                _audit(
                    conn,
                    realm_id,
                    "created signing key",
                    f"certificate_signing_key:{row_id}",
                    f"certificate signing key ({kid})",
                )
                report.created.append(kid)
        except Exception as ex:  # one realm's failure must not stop the others
            log.warning("realm %s: creating a certificate key failed: %s", realm_id, ex)
            report.errors[realm_id] = f"create: {ex}"


def activate_and_destroy_realm_keys(
    conn: psycopg.Connection,
    keystore: KeyStore,
    *,
    now: dt.datetime,
    settings: RotationSettings,
    allowed_clock_skew: float,
    report: RealmKeyReport,
) -> None:
    """Phase B: activate keys past the delay; destroy keys retired long enough.

    A retired key stays published (in the realm's JWKS) for the activation
    delay, and at least as long as a certificate it signed can be valid.
    """
    delay = settings.verification_activation_delay
    for realm_id, _name, cert_duration in q.auto_rotate_realms(conn):
        keep_retired = max(delay, cert_duration + allowed_clock_skew)
        try:
            keys = q.realm_keys(conn, realm_id=realm_id)
            if not keys:
                continue
            newest = keys[0]
            if not newest.active and _age(now, newest.created_at) >= delay:
                with conn.transaction():
                    q.activate_realm_key(
                        conn, realm_id=realm_id, row_id=newest.id, now=now
                    )
                    _audit(
                        conn,
                        realm_id,
                        "updated active signing key",
                        f"certificate_signing_key:{newest.id}",
                        f"certificate signing key ({newest.kid})",
                    )
                report.activated.append(newest.kid)
            # Decide on the list loaded before the activation: a key retired
            # just now has a fresh updated_at and must wait its turn.
            for key in keys[1:]:
                if key.active or _age(now, key.updated_at) < keep_retired:
                    continue
                with conn.transaction():
                    locked = q.lock_realm_key(conn, row_id=key.id)
                    if locked is None or locked[1]:
                        continue
                    keystore.destroy(conn, key.key_id)
                    q.soft_delete_realm_key(conn, row_id=key.id, now=now)
                    _audit(
                        conn,
                        realm_id,
                        "destroyed signing key",
                        f"certificate_signing_key:{key.id}",
                        f"certificate signing key ({key.kid})",
                    )
                report.destroyed.append(key.kid)
        except Exception as ex:  # one realm's failure must not stop the others
            log.warning("realm %s: activating/destroying keys failed: %s", realm_id, ex)
            report.errors[realm_id] = f"activate/destroy: {ex}"


def rotate_system_certificate_key(
    conn: psycopg.Connection,
    keystore: KeyStore,
    *,
    now: dt.datetime,
    settings: RotationSettings,
    certificate_lifetime: float,
    report: RealmKeyReport,
) -> None:
    """Rotate the system certificate key the way realm keys rotate.

    The original left this key to operators; encv keeps it in
    ``system_certificate_keys``: a new key is published at once, signs
    after the activation delay, and a retired key is deleted (and no longer
    published) only when no certificate it signed can still be valid.
    """
    delay = settings.verification_activation_delay
    keep_retired = max(delay, certificate_lifetime)
    with conn.transaction():
        keys = q.system_certificate_keys(conn)
        newest = keys[0] if keys else None
        if newest is None or (
            newest.active
            and _age(now, newest.created_at)
            >= settings.verification_signing_key_max_age
        ):
            version = keystore.create_key_version(conn, "system/certificate-signing")
            kid = q.insert_system_certificate_key(conn, key_version=version, now=now)
            _audit(conn, 0, "created signing key", f"system_certificate_key:{kid}", kid)
            report.created.append(kid)
            return
        if not newest.active and _age(now, newest.created_at) >= delay:
            q.activate_system_certificate_key(conn, row_id=newest.id, now=now)
            _audit(
                conn,
                0,
                "updated active signing key",
                f"system_certificate_key:{newest.kid}",
                newest.kid,
            )
            report.activated.append(newest.kid)
        for key in keys[1:]:
            if key.active or _age(now, key.updated_at) < keep_retired:
                continue
            keystore.destroy(conn, key.key_id)
            q.delete_system_certificate_key(conn, row_id=key.id)
            _audit(
                conn,
                0,
                "destroyed signing key",
                f"system_certificate_key:{key.kid}",
                key.kid,
            )
            report.destroyed.append(key.kid)


@dataclass
class SecretReport:
    """What one secret type's rotation pass did (secret ids)."""

    created: list[int] = field(default_factory=list)
    activated: list[int] = field(default_factory=list)
    deactivated: list[int] = field(default_factory=list)
    marked_deleted: list[int] = field(default_factory=list)
    destroyed: list[int] = field(default_factory=list)


def rotate_secret_type(
    conn: psycopg.Connection,
    store: SecretStore,
    secret_type: str,
    *,
    now: dt.datetime,
    settings: RotationSettings,
) -> SecretReport:
    """Run one rotation pass over one secret type (operations §3.1)."""
    policy = settings.secrets[secret_type]
    activation = settings.secret_activation_ttl
    report = SecretReport()
    with conn.transaction():
        existing = q.list_secrets(conn, secret_type=secret_type)
        latest = max((s.created_at for s in existing), default=None)
        if policy.min_age > 0 and (
            latest is None or _age(now, latest) > policy.min_age
        ):
            secret_id = store.create(conn, secret_type, active=not existing)
            q.stamp_secret(conn, secret_id=secret_id, now=now)
            _secret_audit(conn, secret_id, secret_type, "created secret")
            report.created.append(secret_id)
            existing = q.list_secrets(conn, secret_type=secret_type)
        for secret in existing:
            modified = secret.created_at != secret.updated_at
            created_age = _age(now, secret.created_at)
            updated_age = _age(now, secret.updated_at)
            active = secret.active
            if not active and not modified and created_age >= activation:
                q.set_secret_active(conn, secret_id=secret.id, active=True, now=now)
                _secret_audit(
                    conn, secret.id, secret_type, "updated secret active status"
                )
                report.activated.append(secret.id)
                active = True
            if policy.max_age is None:
                continue
            if active and created_age >= policy.max_age:
                q.set_secret_active(conn, secret_id=secret.id, active=False, now=now)
                _secret_audit(
                    conn, secret.id, secret_type, "updated secret active status"
                )
                report.deactivated.append(secret.id)
                active = False
            if not active and modified and updated_age >= activation:
                q.soft_delete_secret(conn, secret_id=secret.id, now=now)
                _secret_audit(
                    conn, secret.id, secret_type, "marked secret for deletion"
                )
                report.marked_deleted.append(secret.id)
        for secret in q.list_secrets(
            conn, secret_type=secret_type, include_deleted=True
        ):
            if secret.deleted_at is None:
                continue
            if _age(now, secret.deleted_at) > settings.secret_destroy_ttl:
                q.delete_secret(conn, secret_id=secret.id)
                _secret_audit(conn, secret.id, secret_type, "purged secret")
                report.destroyed.append(secret.id)
    store.invalidate()
    return report


def _audit(conn, realm_id: int, action: str, target_id: str, display: str) -> None:
    audit.record(
        conn,
        realm_id=realm_id,
        actor=ROTATION,
        action=action,
        target_id=target_id,
        target_display=display,
    )


def _secret_audit(conn, secret_id: int, secret_type: str, action: str) -> None:
    _audit(conn, 0, action, f"secret:{secret_id}", f"secret {secret_type}")
