"""System-admin use cases on realms: create, edit system fields, join, leave.

The web UI (``/admin/realms``) and the command line (``encv realm create``)
call the same functions, so both validate and audit alike.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import psycopg

from db.keystore import KeyStore
from db.queries.accounts import admin_users as admin_users_q
from db.queries.accounts import users as users_q
from db.queries.keys import signing_keys as keys_q
from db.queries.realms import admin as q
from db.queries.realms import core as realms_q
from db.rows import Realm
from models import audit
from models.accounts.rbac import LEGACY_REALM_ADMIN
from models.errors import InvalidInput, NotFound

# ISO 3166-style: two letters, optionally a dash and a subdivision (US-WA).
REGION_RE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,7})?")
MAX_NAME = 100
CHAFF_DAYS = 7


@dataclass(frozen=True)
class NewRealm:
    """What a system admin fills in to create a realm (ui-and-data §5.10)."""

    name: str
    region_code: str
    use_realm_certificate_key: bool = False
    certificate_issuer: str = ""
    certificate_audience: str = ""
    can_use_system_sms_config: bool = False
    can_use_system_email_config: bool = False


@dataclass(frozen=True)
class Created:
    """A created realm and, when asked for, its first signing key."""

    realm_id: int
    name: str
    region_code: str
    key_kid: str | None = None
    key_error: str | None = None


# Fields a system admin edits on /admin/realms/{id}/edit, with audit wording.
SYSTEM_FIELDS = {
    "maintenance_mode": "updated maintenance mode",
    "short_code_max_minutes": "updated short code max minutes",
    "enx_code_expiration_configurable": "updated ENX code expiration configurable",
    "allow_generated_sms": "updated allow generated SMS",
    "can_use_system_sms_config": "updated can use system SMS config",
    "can_use_system_email_config": "updated can use system email config",
}


def clean_name(raw: str) -> str:
    """Return a trimmed realm name or raise InvalidInput."""
    name = (raw or "").strip()
    if not name:
        raise InvalidInput("realm name cannot be blank")
    if len(name) > MAX_NAME:
        raise InvalidInput(f"realm name must be at most {MAX_NAME} characters")
    if name.lower().startswith("e2e-"):
        raise InvalidInput("realm name cannot start with 'e2e-'")
    return name


def clean_region(raw: str) -> str:
    """Return an upper-cased region code or raise InvalidInput."""
    region = (raw or "").strip().upper()
    if not region:
        raise InvalidInput("region code cannot be blank")
    if len(region) > 10 or not REGION_RE.fullmatch(region):
        raise InvalidInput(
            f"region code {region!r} is invalid (use e.g. US or US-WA, at most 10"
            " characters)"
        )
    return region


def _printable(raw: str) -> str:
    return "".join(ch for ch in (raw or "") if ch.isprintable()).strip()


def _validate(conn: psycopg.Connection, new: NewRealm) -> NewRealm:
    name, region = clean_name(new.name), clean_region(new.region_code)
    if realms_q.get_realm_by_name(conn, name) is not None:
        raise InvalidInput(f"a realm named {name!r} already exists")
    if realms_q.get_realm_by_region(conn, region) is not None:
        raise InvalidInput(f"a realm with region code {region!r} already exists")
    issuer = _printable(new.certificate_issuer)[:150]
    audience = _printable(new.certificate_audience)[:150]
    if new.use_realm_certificate_key and not (issuer and audience):
        raise InvalidInput(
            "certificate issuer and audience are required for realm-specific keys"
        )
    return NewRealm(
        name,
        region,
        new.use_realm_certificate_key,
        issuer,
        audience,
        new.can_use_system_sms_config,
        new.can_use_system_email_config,
    )


def create_realm(
    conn: psycopg.Connection,
    new: NewRealm,
    *,
    actor: audit.Actor,
    keystore: KeyStore | None = None,
) -> Created:
    """Validate and create a realm with the §6.1 defaults; audit it."""
    with conn.transaction():
        new = _validate(conn, new)
        try:
            realm_id = realms_q.insert_realm(
                conn,
                new.name,
                region_code=new.region_code,
                require_date=True,
                default_locale="en",
                use_realm_certificate_key=new.use_realm_certificate_key,
                certificate_issuer=new.certificate_issuer,
                certificate_audience=new.certificate_audience,
                can_use_system_sms_config=new.can_use_system_sms_config,
                can_use_system_email_config=new.can_use_system_email_config,
            )
        except psycopg.errors.UniqueViolation:
            # A concurrent create won the race for the name or region.
            raise InvalidInput("realm name and region code must be unique") from None
        audit.record(
            conn,
            realm_id=realm_id,
            actor=actor,
            action="created realm",
            target_id=f"realms:{realm_id}",
            target_display=new.name,
        )
    created = Created(realm_id, new.name, new.region_code)
    if new.use_realm_certificate_key and keystore is not None:
        created = _first_key(conn, keystore, created, actor)
    return created


def _first_key(conn, keystore: KeyStore, created: Created, actor) -> Created:
    # Its own transaction: when key creation fails the realm is kept (§5.10).
    try:
        with conn.transaction():
            version = keystore.create_key_version(conn, f"realm-{created.realm_id}")
            row = keys_q.insert_signing_key(
                conn, realm_id=created.realm_id, key_id=version, active=True
            )
            audit.record(
                conn,
                realm_id=created.realm_id,
                actor=actor,
                action="created signing key",
                target_id=f"certificate_signing_key:{row.id}",
                target_display=f"certificate signing key ({row.kid})",
            )
    except Exception as ex:  # any keystore failure leaves a usable realm
        return Created(**{**created.__dict__, "key_error": str(ex)})
    return Created(**{**created.__dict__, "key_kid": row.kid})


def parse_system_fields(form: dict[str, str]) -> dict:
    """Turn the edit form into typed system fields, or raise InvalidInput."""
    try:
        minutes = int(form.get("short_code_max_minutes") or "")
    except ValueError:
        raise InvalidInput("short code max minutes must be a number") from None
    if not 60 <= minutes <= 120:
        raise InvalidInput("short code max minutes must be >= 60 and <= 120")
    out = {"short_code_max_minutes": minutes}
    for name in SYSTEM_FIELDS:
        if name != "short_code_max_minutes":
            out[name] = form.get(name, "") in ("true", "on", "1")
    return out


def _show(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def update_system_fields(
    conn: psycopg.Connection, realm_id: int, values: dict, *, actor: audit.Actor
) -> list[str]:
    """Store the system-admin fields of a realm; audit each change; return them."""
    with conn.transaction():
        realm = realms_q.get_realm(conn, realm_id)
        if realm is None:
            raise NotFound("realm not found")
        changed = {
            name: value
            for name, value in values.items()
            if name in SYSTEM_FIELDS and getattr(realm, name) != value
        }
        # Losing the right to a system config also stops using it.
        if changed.get("can_use_system_sms_config") is False:
            changed["use_system_sms_config"] = False
        if changed.get("can_use_system_email_config") is False:
            changed["use_system_email_config"] = False
        realms_q.update_realm(conn, realm_id, **changed)
        for name, value in changed.items():
            if name not in SYSTEM_FIELDS:
                continue
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action=SYSTEM_FIELDS[name],
                target_id=f"realms:{realm_id}",
                target_display=realm.name,
                diff=f"-{_show(getattr(realm, name))}\n+{_show(value)}",
            )
    return [n for n in changed if n in SYSTEM_FIELDS]


def join_realm(
    conn: psycopg.Connection, realm_id: int, user_id: int, *, actor: audit.Actor
) -> Realm:
    """Make a user an administrator of a realm (LegacyRealmAdmin); audit it."""
    with conn.transaction():
        realm, user = (
            realms_q.get_realm(conn, realm_id),
            users_q.get_user(conn, user_id),
        )
        if realm is None or user is None:
            raise NotFound("realm or user not found")
        users_q.upsert_membership(
            conn,
            realm_id=realm_id,
            user_id=user_id,
            permissions=int(LEGACY_REALM_ADMIN),
        )
        _audit_member(conn, realm, user, actor, "added user to realm")
    return realm


def leave_realm(
    conn: psycopg.Connection, realm_id: int, user_id: int, *, actor: audit.Actor
) -> Realm:
    """Remove a user's membership of a realm; audit it."""
    with conn.transaction():
        realm, user = (
            realms_q.get_realm(conn, realm_id),
            users_q.get_user(conn, user_id),
        )
        if realm is None or user is None:
            raise NotFound("realm or user not found")
        if admin_users_q.delete_membership(conn, realm_id=realm_id, user_id=user_id):
            _audit_member(conn, realm, user, actor, "removed user from realm")
    return realm


def _audit_member(conn, realm, user, actor, action: str) -> None:
    audit.record(
        conn,
        realm_id=realm.id,
        actor=actor,
        action=action,
        target_id=f"users:{user.id}",
        target_display=f"{user.name} ({user.email})",
    )


def chaff_week(
    conn: psycopg.Connection, realm_ids: list[int], today: dt.date
) -> dict[int, list[tuple[dt.date, bool]]]:
    """Return, per realm, the last seven UTC days and whether chaff was seen."""
    days = [today - dt.timedelta(days=n) for n in range(CHAFF_DAYS)]
    seen = q.chaff_dates(conn, realm_ids=realm_ids, since=days[-1])
    return {rid: [(d, d in seen.get(rid, set())) for d in days] for rid in realm_ids}


def get_realm(conn: psycopg.Connection, realm_id: int) -> Realm | None:
    """Return a live realm by id."""
    return realms_q.get_realm(conn, realm_id)


def count_realms(conn: psycopg.Connection, query: str) -> int:
    """Count realms whose name contains ``query``."""
    return q.count_realms(conn, query=query)


def search_realms(
    conn: psycopg.Connection, query: str, limit: int, offset: int
) -> list[Realm]:
    """Return one page of realms whose name contains ``query``, by name."""
    return q.search_realms(conn, query=query, limit=limit, offset=offset)


def translations(conn: psycopg.Connection, realm_id: int) -> list[q.Translation]:
    """Return the realm's synced dynamic translations."""
    return q.realm_translations(conn, realm_id)


def count_mobile_apps(conn: psycopg.Connection, query: str) -> int:
    """Count enabled apps of every realm matching ``query``."""
    return q.count_mobile_apps(conn, query=query)


def search_mobile_apps(
    conn: psycopg.Connection, query: str, limit: int, offset: int
) -> list[q.AppWithRealm]:
    """Return one page of enabled apps of every realm (app or realm name)."""
    return q.search_mobile_apps(conn, query=query, limit=limit, offset=offset)


def get_mobile_app(conn: psycopg.Connection, app_id: int) -> q.AppWithRealm | None:
    """Return an enabled app of any live realm."""
    return q.get_mobile_app(conn, app_id)
