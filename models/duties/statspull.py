"""Key-server stats pull: copy each realm's publish statistics (operations §6)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import jwt
import psycopg

from db.keystore import KeyStore
from db.pool import ConnectionSource
from db.queries.duties import keyserver_stats as q
from db.queries.keys.bookkeeping import active_system_certificate_key
from db.queries.realms.core import get_realm
from models.duties.jsonclient import JsonClient, JsonClientError
from models.settings import Settings

log = logging.getLogger(__name__)

ATTEMPTS = 4  # one call plus three retries, 500 ms apart
# Internal OS order of publish_requests (the JSON order differs).
OS_ORDER = ("unknown", "ios", "android")


def key_server_base(url: str) -> str:
    """Strip any path from ``/v1`` onward (legacy publish URLs work too)."""
    index = url.find("/v1")
    base = url[:index] if index >= 0 else url
    return base.rstrip("/") + "/"


@dataclass(frozen=True)
class Signer:
    """The key, kid and issuer a realm's JWTs are signed with."""

    kid: str
    key: object
    issuer: str


def signer_for(
    conn: psycopg.Connection, keystore: KeyStore, realm_id: int, settings: Settings
) -> Signer:
    """Return the realm's certificate signer: its own key or the system key."""
    realm = get_realm(conn, realm_id)
    if realm is None:
        raise LookupError(f"realm {realm_id} does not exist")
    if realm.use_realm_certificate_key:
        found = q.active_realm_certificate_key(conn, realm_id=realm_id)
        if found is None:
            raise LookupError(f"realm {realm_id} has no active certificate key")
        issuer = realm.certificate_issuer or ""
    else:
        found = active_system_certificate_key(conn)
        if found is None:
            raise LookupError("no active system certificate key")
        issuer = settings.tokens.certificate_issuer
    kid, version = found
    return Signer(kid=kid, key=keystore.private_key(conn, version), issuer=issuer)


def stats_jwt(signer: Signer, audience: str, now: dt.datetime) -> str:
    """Mint the short-lived ES256 bearer token the stats endpoint expects."""
    issued = int(now.timestamp())
    return jwt.encode(
        {"aud": audience, "iss": signer.issuer, "iat": issued, "exp": issued + 300},
        signer.key,
        algorithm="ES256",
        headers={"kid": signer.kid},
    )


def _day_row(day: dict) -> dict:
    requests = day.get("publish_requests") or {}
    return {
        "day": dt.datetime.fromisoformat(day["day"].replace("Z", "+00:00")),
        "publish_requests": [int(requests.get(os, 0)) for os in OS_ORDER],
        "total_teks_published": int(day.get("total_teks_published", 0)),
        "revision_requests": int(day.get("requests_with_revisions", 0)),
        "tek_age_distribution": list(day.get("tek_age_distribution") or []),
        "onset_to_upload_distribution": list(
            day.get("onset_to_upload_distribution") or []
        ),
        "request_missing_onset_date": int(day.get("requests_missing_onset_date", 0)),
    }


def pull_realm(
    conn: psycopg.Connection,
    keystore: KeyStore,
    settings: Settings,
    *,
    realm_id: int,
    url_override: str | None,
    audience_override: str | None,
    now: dt.datetime,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Fetch one realm's stats days and upsert them; return days stored."""
    base = key_server_base(url_override or settings.ops.key_server_url)
    token = stats_jwt(
        signer_for(conn, keystore, realm_id, settings),
        audience_override or settings.ops.key_server_audience,
        now,
    )
    limits = settings.duties
    client = JsonClient(
        base,
        user_agent="en/keyserver-client",
        timeout=limits.stats_puller_download_timeout,
        max_bytes=limits.stats_puller_size_limit,
    )
    try:
        for attempt in range(ATTEMPTS):
            try:
                _status, data = client.call(
                    "POST",
                    "v1/stats",
                    {"padding": ""},
                    headers={"Authorization": f"Bearer {token}"},
                )
                break
            except JsonClientError:
                if attempt == ATTEMPTS - 1:
                    raise
                sleep(0.5)
    finally:
        client.close()
    days = [day for day in data.get("days") or [] if day]
    with conn.transaction():
        for day in days:
            q.upsert_stats_day(conn, realm_id=realm_id, **_day_row(day))
    return len(days)


@dataclass
class PullReport:
    """Outcome of one pull over every opted-in realm."""

    realms_pulled: int = 0
    days_upserted: int = 0
    failed: dict[int, str] = field(default_factory=dict)


def pull_all(
    db: ConnectionSource,
    keystore: KeyStore,
    settings: Settings,
    *,
    now: dt.datetime,
    sleep: Callable[[float], None] = time.sleep,
) -> PullReport:
    """Pull every opted-in realm, a few at a time; failures are collected."""
    with db.connection() as conn:
        configs = q.stats_configs(conn)

    def one(config) -> tuple[int, int | None, str]:
        realm_id, url, audience = config
        try:
            with db.connection() as conn:
                days = pull_realm(
                    conn,
                    keystore,
                    settings,
                    realm_id=realm_id,
                    url_override=url,
                    audience_override=audience,
                    now=now,
                    sleep=sleep,
                )
            return realm_id, days, ""
        except Exception as ex:  # one realm's failure must not stop the others
            log.warning("stats pull for realm %s failed: %s", realm_id, ex)
            return realm_id, None, str(ex)

    report = PullReport()
    workers = settings.duties.stats_puller_max_workers
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for realm_id, days, error in pool.map(one, configs):
            if days is None:
                report.failed[realm_id] = error
            else:
                report.realms_pulled += 1
                report.days_upserted += days
    return report


def stale_realms(
    conn: psycopg.Connection, *, now: dt.datetime, max_age_days: int = 2
) -> dict[int, str]:
    """Return opted-in realms whose newest stats day is too old (or missing)."""
    cutoff = now - dt.timedelta(days=max_age_days)
    return {
        realm_id: (latest.isoformat() if latest else "none")
        for realm_id, latest in q.latest_stats_days(conn)
        if latest is None or latest < cutoff
    }
