"""A realm's mobile apps (§5.7): validation, create, edit, disable, enable.

The ENX redirector reads apps through ``models.redirect.directory``'s cache
(``apps:<REGION>``, ``APP_CACHE_TTL``). Every change drops that entry, which
is immediate where the cache is shared (Redis); with per-process caches the
redirector catches up within the TTL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg

from db.cache import Cache
from db.queries.realms import core as realms_q
from db.queries.realms import mobile_apps as q
from db.rows import MobileApp
from models import audit
from models.redirect.rules import OS_ANDROID, OS_IOS

OS_NAMES = {OS_IOS: "iOS", OS_ANDROID: "Android"}
FINGERPRINT_LENGTH = 95  # 32 bytes as "AA:BB:…"
_FINGERPRINT = re.compile(r"^[0-9A-F]{2}(:[0-9A-F]{2}){31}$")
# iOS: team (or app id) prefix, then the bundle id: ABCD1234.com.my.app
_IOS_APP_ID = re.compile(r"^[A-Za-z0-9]+(\.[A-Za-z0-9-]+)+$")
# Android package name: dot-separated Java identifiers, at least two.
_ANDROID_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")


class AppError(ValueError):
    """Bad input for a mobile app; ``fields`` maps form fields to messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


@dataclass(frozen=True)
class AppForm:
    """The fields of the create/edit form, as typed."""

    name: str = ""
    url: str = ""
    os: str = ""
    app_id: str = ""
    sha: str = ""
    enable_redirect: bool = True


def parse_fingerprints(raw: str) -> tuple[list[str], str | None]:
    """Split, upper-case and check SHA-256 fingerprints; return (list, error)."""
    items = [part.strip().upper() for part in re.split(r"[\n,]", raw or "")]
    items = [item for item in items if item]
    for item in items:
        if len(item) != FINGERPRINT_LENGTH:
            return items, f"must be {FINGERPRINT_LENGTH} characters (got {len(item)})"
        if not _FINGERPRINT.match(item):
            return items, "must be 32 colon-separated hexadecimal bytes"
    return items, None


def validate(form: AppForm) -> dict:
    """Return the columns to store for ``form``, or raise AppError per field."""
    errors: dict[str, str] = {}
    name, url, app_id = form.name.strip(), form.url.strip(), form.app_id.strip()
    if not name:
        errors["name"] = "cannot be blank"
    try:
        os_type = int(form.os)
    except ValueError:
        os_type = 0
    if os_type not in OS_NAMES:
        errors["os"] = "is invalid"
    # Shown as a link and used as a redirect target: no javascript: URLs.
    if url and not url.lower().startswith(("https://", "http://")):
        errors["url"] = "must start with https:// or http://"
    if not app_id:
        errors["app_id"] = "cannot be blank"
    elif os_type == OS_IOS and not _IOS_APP_ID.match(app_id):
        errors["app_id"] = "must be a team prefix and bundle id (ABCD1234.com.my.app)"
    elif os_type == OS_ANDROID and not _ANDROID_PACKAGE.match(app_id):
        errors["app_id"] = "must be a package name (com.example.app)"
    shas: list[str] = []
    if os_type == OS_ANDROID:
        shas, problem = parse_fingerprints(form.sha)
        if problem or not shas:
            errors["sha"] = problem or "cannot be blank"
    if errors:
        raise AppError("Failed to save mobile app", errors)
    return {
        "name": name,
        "url": url,
        "os": os_type,
        "app_id": app_id,
        "sha": "\n".join(shas),
        "disable_redirect": not form.enable_redirect,
    }


def display(app: MobileApp | dict) -> str:
    """Return the audit display ``Name (iOS|Android)``."""
    name = app["name"] if isinstance(app, dict) else app.name
    os_type = app["os"] if isinstance(app, dict) else app.os
    return f"{name} ({OS_NAMES.get(os_type, 'unknown')})"


def _forget(conn, cache: Cache, realm_id: int) -> None:
    realm = realms_q.get_realm(conn, realm_id)
    if realm is not None and realm.region_code:
        cache.delete(f"apps:{realm.region_code.upper()}")


def _unique(conn, realm_id: int, fields: dict, app_id: int | None) -> None:
    if q.name_taken(conn, realm_id, fields["name"], fields["os"], app_id):
        raise AppError("Failed to save mobile app", {"name": "must be unique"})


def create_app(
    conn: psycopg.Connection,
    cache: Cache,
    *,
    realm_id: int,
    form: AppForm,
    actor: audit.Actor,
) -> int:
    """Validate and store a new app (audited); return its id."""
    fields = validate(form)
    try:
        with conn.transaction():
            _unique(conn, realm_id, fields, None)
            app_id = q.insert_app(conn, realm_id=realm_id, fields=fields)
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action="created mobile app",
                target_id=f"mobile_apps:{app_id}",
                target_display=display(fields),
            )
    except psycopg.errors.UniqueViolation as ex:  # a concurrent create won
        raise AppError("Failed to save mobile app", {"name": "must be unique"}) from ex
    _forget(conn, cache, realm_id)
    return app_id


_AUDITED = (("name", "name"), ("os", "os"), ("app_id", "appID"), ("sha", "sha"))


def update_app(
    conn: psycopg.Connection,
    cache: Cache,
    *,
    realm_id: int,
    app_id: int,
    form: AppForm,
    actor: audit.Actor,
) -> MobileApp:
    """Validate and apply an edit (one audit entry per changed field)."""
    fields = validate(form)
    try:
        with conn.transaction():
            app = q.get_app(conn, realm_id, app_id, lock=True)
            if app is None:
                raise AppError("mobile app not found")
            _unique(conn, realm_id, fields, app_id)
            q.update_app(conn, app_id, fields)
            for column, label in _AUDITED:
                old, new = getattr(app, column), fields[column]
                if old != new:
                    audit.record(
                        conn,
                        realm_id=realm_id,
                        actor=actor,
                        action=f"updated mobile app {label}",
                        target_id=f"mobile_apps:{app_id}",
                        target_display=display(fields),
                        diff=audit.change(old, new),
                    )
            updated = q.get_app(conn, realm_id, app_id)
    except psycopg.errors.UniqueViolation as ex:
        raise AppError("Failed to save mobile app", {"name": "must be unique"}) from ex
    _forget(conn, cache, realm_id)
    return updated


def set_app_enabled(
    conn: psycopg.Connection,
    cache: Cache,
    *,
    realm_id: int,
    app_id: int,
    enabled: bool,
    actor: audit.Actor,
) -> MobileApp:
    """Disable (soft-delete) or restore an app (audited)."""
    with conn.transaction():
        app = q.get_app(conn, realm_id, app_id, lock=True)
        if app is None:
            raise AppError("mobile app not found")
        if (app.deleted_at is None) != enabled:
            q.set_app_enabled(conn, app_id, enabled)
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action="updated mobile app enabled",
                target_id=f"mobile_apps:{app_id}",
                target_display=display(app),
                diff=audit.change(str(not enabled).lower(), str(enabled).lower()),
            )
    _forget(conn, cache, realm_id)
    return app


def get_app(conn: psycopg.Connection, realm_id: int, app_id: int) -> MobileApp | None:
    """Return one of the realm's apps (disabled included), or None."""
    return q.get_app(conn, realm_id, app_id)


def search_apps(
    conn: psycopg.Connection, realm_id: int, search: str, *, limit: int, offset: int
) -> tuple[int, list[MobileApp]]:
    """Return (total, one page) of the realm's apps whose name matches."""
    search = (search or "").strip()
    total = q.count_apps(conn, realm_id, search)
    return total, q.list_apps(conn, realm_id, search, limit=limit, offset=offset)
