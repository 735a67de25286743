"""API-key authentication, realm IP allow-lists and rate limiting (protocol §2, §10).

Each is a middleware acting in ``process_resource`` (after routing), so an
unknown path is a 404 and a wrong method a 405 before any key is checked.
Resources opt in with a class attribute ``api_key_types``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
from dataclasses import dataclass

import falcon

from api.common.errors import request_id, unauthorized, unavailable
from api.common.middleware import resolve_ip
from db.cache import BackendUnavailable, Cache, fetch_decoded
from db.pool import ConnectionSource, DatabaseUnavailable
from db.ratelimit import RateLimiter
from models.codes.issue_rules import rfc1123 as format_rfc1123
from models.network import NO_PROXIES, TrustedProxies, ip_allowed
from models.realms.apikeys import (
    StaleApiKey,
    authenticate,
    key_is_current,
    key_version,
    realm_hint,
    record_use,
    well_formed,
)
from models.realms.lookup import cached_realm
from models.secrets import Secrets

log = logging.getLogger(__name__)

API_KEY_CACHE_SECONDS = 300.0


@dataclass(frozen=True)
class AppInfo:
    """The authenticated API key, as handlers need it."""

    id: int
    realm_id: int
    name: str
    key_type: int


@dataclass(frozen=True)
class KeyEntry:
    """A cached API key lookup: the key as handlers see it, and its version."""

    app: AppInfo
    version: str | None

    @classmethod
    def decode(cls, data: dict) -> KeyEntry:
        """Build the entry from its cached JSON form (see ApiKeyAuth._lookup)."""
        return cls(
            AppInfo(data["id"], data["realm_id"], data["name"], data["key_type"]),
            data.get("version"),
        )


class Unauthorized(Exception):
    """Render the generic 401 without saying why."""


class RateLimited(Exception):
    """The caller's bucket is empty."""

    def __init__(self, reset_header: str):
        super().__init__("rate limited")
        self.reset_header = reset_header


def _protected(req: falcon.Request, resource) -> bool:
    if resource is None or not getattr(resource, "api_key_types", None):
        return False
    # A missing responder means Falcon will answer 405; do not authenticate.
    return hasattr(resource, f"on_{req.method.lower()}")


def request_ip(req: falcon.Request, trusted: TrustedProxies | None = None) -> str:
    """Return the client IP of ``req`` (protocol §10.2), port stripped, canonical.

    Without ``trusted`` the app's setting applies, as the ClientAddress
    middleware resolved it; without that middleware nobody is trusted.
    """
    if trusted is None:
        known = getattr(req.context, "client_ip", None)
        if known is not None:
            return known
    return resolve_ip(req, trusted or NO_PROXIES)


# Limiter windows reset on a few distinct instants; each is formatted once.
@functools.lru_cache(maxsize=256)
def rfc1123(timestamp: float) -> str:
    """Format Unix seconds as ``Mon, 02 Jan 2006 15:04:05 UTC``."""
    return format_rfc1123(dt.datetime.fromtimestamp(timestamp, dt.UTC))


class ApiKeyAuth:
    """Authenticate ``X-API-Key`` and load the key's realm into ``req.context``."""

    def __init__(self, db: ConnectionSource, cache: Cache, secrets: Secrets):
        self._db = db
        self._cache = cache
        self._secrets = secrets

    def _lookup(self, raw_key: str) -> dict | None:
        with self._db.connection() as conn:
            app = authenticate(conn, self._secrets, raw_key)
            if app is None:
                return None
            try:
                record_use(conn, app.id)
            except Exception:  # last-used is informational; never fail auth on it
                log.warning("could not record API key use", exc_info=True)
        return {
            "id": app.id,
            "realm_id": app.realm_id,
            "name": app.name,
            "key_type": app.api_key_type,
            "version": key_version(app),
        }

    def _current(self, entry: KeyEntry) -> bool:
        if not entry.version:
            return False  # an entry cached before versions existed
        with self._db.connection() as conn:
            return key_is_current(conn, entry.app.id, entry.version)

    def process_resource(self, req, resp, resource, params) -> None:
        """Reject the request with 401 unless the key is valid for this route."""
        if not _protected(req, resource):
            return
        raw = (req.get_header("X-API-Key") or "").strip()
        if not raw or not well_formed(raw):
            raise Unauthorized()
        # Only positive lookups are cached (5 minutes, as the original): they
        # spare the signature check and the HMAC search. The cache may be
        # per process, so the UI cannot evict what it holds; instead each
        # request checks by primary key that the key is still live and
        # unchanged (disable/rename/re-key bump updated_at), and looks again
        # when it is not. Resources marked ``checks_api_key_version`` make
        # that check inside their own first statement (req.context.key_version,
        # see with_current_key), saving a round trip; chaff never reaches a
        # resource, so it is always checked here.
        cache_key = f"apikey:{raw}"
        fresh = []

        def load():
            fresh.append(True)
            return self._lookup(raw)

        # Every use checks the key's version against the database (below, or
        # in the resource's statement), so the process may trust its memo
        # without asking a shared cache each time.
        entry = fetch_decoded(
            self._cache,
            cache_key,
            API_KEY_CACHE_SECONDS,
            load,
            KeyEntry.decode,
            checked_on_use=True,
        )
        deferred = (
            entry is not None
            and not fresh
            and getattr(resource, "checks_api_key_version", False)
            and not req.get_header("X-Chaff")
        )
        unchecked = entry is not None and not fresh and not deferred
        if unchecked and not self._current(entry):
            self._cache.delete(cache_key)
            entry = self._fresh_entry(raw)
        self._admit(req, resource, entry, entry.version if deferred else None)
        req.context.refresh_api_key = lambda: self._refresh(req, resource, raw)
        req.context.confirm_api_key = lambda: self._confirm(req, resource, raw, entry)

    def _fresh_entry(self, raw: str) -> KeyEntry | None:
        data = self._lookup(raw)
        return None if data is None else KeyEntry.decode(data)

    def _admit(self, req, resource, entry: KeyEntry | None, key_version) -> None:
        if entry is None or entry.app.key_type not in resource.api_key_types:
            raise Unauthorized()
        realm = cached_realm(self._cache, self._db, entry.app.realm_id)
        if realm is None:
            raise Unauthorized()
        req.context.app = entry.app
        req.context.realm = realm
        req.context.key_version = key_version

    def _refresh(self, req, resource, raw: str) -> None:
        """Forget the cached key, look it up again; 401 when no longer valid."""
        self._cache.delete(f"apikey:{raw}")
        self._admit(req, resource, self._fresh_entry(raw), None)

    def _confirm(self, req, resource, raw: str, entry: KeyEntry) -> None:
        """Make the deferred check now (an error path); 401 when no longer valid."""
        if req.context.key_version is not None and not self._current(entry):
            self._refresh(req, resource, raw)
        req.context.key_version = None


@contextlib.contextmanager
def key_checked_on_error(req: falcon.Request):
    """Around a deferring resource: any error still answers 401 to a changed key.

    A resource that checks its cached key in its own statement may fail
    before that statement runs (bad input, maintenance); the key is then
    checked as the middleware would have, so a disabled key is refused
    rather than told about its request.
    """
    try:
        yield
    except (Unauthorized, StaleApiKey, DatabaseUnavailable, BackendUnavailable):
        # An outage answers 503 at once and tells nothing about the request;
        # checking the key would only wait on the same outage again.
        raise
    except Exception:
        if getattr(req.context, "key_version", None) is not None:
            req.context.confirm_api_key()
        raise


def with_current_key(req: falcon.Request, work):
    """Run ``work(key_version)``; if the cached key changed, look again and retry.

    ``work`` must claim nothing when it raises StaleApiKey. The retry runs
    with the fresh lookup (no version to check); a key that is no longer
    valid is refused with 401 as if it had been checked up front.
    """
    try:
        return work(getattr(req.context, "key_version", None))
    except StaleApiKey:
        req.context.refresh_api_key()
        return work(None)


class Firewall:
    """Enforce the realm's allow-list for this surface after authentication."""

    def __init__(self, realm_field: str):
        self._field = realm_field  # e.g. "allowed_cidrs_apiserver"

    def process_resource(self, req, resp, resource, params) -> None:
        """Reject with 401 when the client IP is outside the realm's CIDRs."""
        if not _protected(req, resource):
            return
        cidrs = getattr(req.context.realm, self._field)
        if cidrs and not ip_allowed(cidrs, request_ip(req)):
            raise Unauthorized()


class RateLimit:
    """Fixed-window limit per (realm, client IP) with X-RateLimit-* headers."""

    def __init__(self, limiter: RateLimiter, surface: str):
        self._limiter = limiter
        self._surface = surface  # "apiserver" or "adminapi"

    def process_resource(self, req, resp, resource, params) -> None:
        """Take a token; 429 when the bucket is empty."""
        if not _protected(req, resource) or getattr(req.context, "chaff", False):
            return
        ip = request_ip(req)
        realm_id = realm_hint(req.get_header("X-API-Key") or "")
        if realm_id is None and getattr(req.context, "realm", None) is not None:
            realm_id = req.context.realm.id
        if realm_id is not None:
            namespace, key = f"{self._surface}:ratelimit:realm", f"{realm_id}:{ip}"
        else:
            namespace, key = f"{self._surface}:ratelimit:ip", ip
        decision = self._limiter.take(namespace, key)
        reset = limit_headers(resp, decision)
        if not decision.allowed:
            raise RateLimited(reset)


def limit_headers(resp: falcon.Response, decision) -> str:
    """Set the X-RateLimit-* headers of a limiter decision; return the reset."""
    reset = rfc1123(decision.reset)
    resp.set_header("X-RateLimit-Limit", str(decision.limit))
    resp.set_header("X-RateLimit-Remaining", str(decision.remaining))
    resp.set_header("X-RateLimit-Reset", reset)
    return reset


def install_handlers(app: falcon.App) -> None:
    """Register how 401, 429 and limiter failures are rendered."""

    def on_unauthorized(req, resp, ex, params):
        unauthorized(req, resp)

    def on_rate_limited(req, resp, ex: RateLimited, params):
        resp.status = 429
        resp.content_type = "text/plain; charset=utf-8"
        resp.set_header("Retry-After", ex.reset_header)
        resp.text = "Too Many Requests\n"

    def on_backend(req, resp, ex, params):
        # Limiter and cache fall back on their own; reaching here means the
        # fallback failed too (PostgreSQL down as well).
        log.error("rate limiter / cache unavailable rid=%s: %s", request_id(req), ex)
        unavailable(req, resp)

    app.add_error_handler(Unauthorized, on_unauthorized)
    app.add_error_handler(RateLimited, on_rate_limited)
    app.add_error_handler(BackendUnavailable, on_backend)
