"""What the redirector looks up: realms by region, their apps, device keys.

Region data is read through the shared cache for ``APP_CACHE_TTL`` because
every SMS link click lands here; keys are ``apps:<REGION>`` so the admin
"clear cache" page can drop them by prefix.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from db.cache import Cache
from db.pool import ConnectionSource
from db.queries.realms import core as realms_q
from db.queries.realms import mobile_apps as apps_q
from db.rows import AuthorizedApp, Realm
from models.realms import apikeys
from models.realms.apikeys import KeyType
from models.redirect.rules import App
from models.secrets import Secrets


@dataclass(frozen=True)
class RegionApps:
    """A region's realm flag and live apps, as cached."""

    realm_id: int
    enx_enabled: bool
    apps: tuple[App, ...]

    def of_os(self, os_type: int) -> list[App]:
        """Return the apps of one OS (redirect-disabled ones included)."""
        return [app for app in self.apps if app.os == os_type]


class RedirectDirectory:
    """Read-only lookups of the redirector and the user-report web view."""

    def __init__(
        self, db: ConnectionSource, cache: Cache, secrets: Secrets, app_ttl: float
    ):
        self._db = db
        self._cache = cache
        self._secrets = secrets
        self._app_ttl = app_ttl

    def region_apps(self, region: str) -> RegionApps | None:
        """Return the realm data of ``region`` (cached), or None if no realm."""
        region = region.upper()
        raw = self._cache.fetch(
            f"apps:{region}", self._app_ttl, lambda: self._load(region)
        )
        if raw is None:
            return None
        return RegionApps(
            realm_id=raw["realm_id"],
            enx_enabled=raw["enx_enabled"],
            apps=tuple(App(**app) for app in raw["apps"]),
        )

    def _load(self, region: str) -> dict | None:
        with self._db.connection() as conn:
            realm = realms_q.get_realm_by_region(conn, region)
            if realm is None:
                return None
            rows = apps_q.list_realm_apps(conn, realm.id)
        apps = [
            App(
                os=row.os,
                app_id=row.app_id,
                url=row.url or "",
                sha=row.sha,
                headless=row.headless,
                disable_redirect=row.disable_redirect,
            )
            for row in rows
        ]
        return {
            "realm_id": realm.id,
            "enx_enabled": bool(realm.enable_en_express),
            "apps": [asdict(app) for app in apps],
        }

    def realm_for_region(self, region: str) -> Realm | None:
        """Return the live realm of ``region`` (not cached: settings change)."""
        with self._db.connection() as conn:
            return realms_q.get_realm_by_region(conn, region)

    def device_key(self, raw_key: str) -> tuple[AuthorizedApp, Realm] | None:
        """Return a valid DEVICE API key and its realm, else None."""
        with self._db.connection() as conn:
            app = apikeys.authenticate(conn, self._secrets, raw_key)
            if app is None or app.api_key_type != KeyType.DEVICE:
                return None
            realm = realms_q.get_realm(conn, app.realm_id)
        return (app, realm) if realm is not None else None
