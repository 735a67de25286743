"""App sync: import the published list of ENX apps (operations §5)."""

from __future__ import annotations

import base64
import logging
import os
import re
from dataclasses import dataclass, field

import psycopg

from db.cache import Cache
from db.queries.duties import appsync as q
from db.queries.realms.core import get_realm_by_region, update_realm
from models import audit
from models.duties.jsonclient import JsonClient
from models.realms.lookup import forget_realm

log = logging.getLogger(__name__)

FEED_SIZE_LIMIT = 4_000_000  # APP_SYNC_SIZE_LIMIT, bytes
FEED_TIMEOUT = 60.0  # APP_SYNC_TIMEOUT, seconds
_COLOR = re.compile(r"^#[0-9a-f]{6}$")


def fetch_feed(
    url: str,
    *,
    transport=None,
    size_limit: int = FEED_SIZE_LIMIT,
    timeout: float = FEED_TIMEOUT,
) -> dict:
    """Download and decode the app feed (APP_SYNC_SIZE_LIMIT, APP_SYNC_TIMEOUT)."""
    client = JsonClient(
        url,
        user_agent="en/appsync-client",
        timeout=timeout,
        max_bytes=size_limit,
        transport=transport,
    )
    try:
        _status, data = client.call("GET", "")
    finally:
        client.close()
    if not isinstance(data, dict) or not isinstance(data.get("apps", []), list):
        raise ValueError("app feed: expected an object with an 'apps' list")
    return data


@dataclass
class SyncReport:
    """Counts of what app sync changed."""

    realms_updated: int = 0
    entries_skipped: int = 0
    translations_added: int = 0
    translations_updated: int = 0
    translations_deleted: int = 0
    apps_created: int = 0
    errors: list[str] = field(default_factory=list)


def sync(
    conn: psycopg.Connection, feed: dict, *, cache: Cache, token=os.urandom
) -> SyncReport:
    """Apply the feed to realms' branding, translations and Android apps."""
    report = SyncReport()
    for entry in feed.get("apps", []):
        region = str(entry.get("region", "")).upper()
        realm = get_realm_by_region(conn, region) if region else None
        if realm is None:
            report.entries_skipped += 1
            continue
        try:
            _sync_branding(conn, realm.id, entry)
            forget_realm(cache, realm.id)
            report.realms_updated += 1
        except Exception as ex:  # one entry's failure must not stop the feed
            report.errors.append(f"{region}: branding: {ex}")
            continue
        try:
            _sync_translations(conn, realm.id, entry, report)
        except Exception as ex:
            report.errors.append(f"{region}: translations: {ex}")
        try:
            _sync_app(conn, realm, region, entry, report, token)
        except Exception as ex:
            report.errors.append(f"{region}: mobile app: {ex}")
    return report


def _sync_branding(conn, realm_id: int, entry: dict) -> None:
    color = str(entry.get("agency_color") or "").lower()
    if color and not _COLOR.match(color):
        raise ValueError(f"agency color {color!r} is not #rrggbb")
    with conn.transaction():
        update_realm(
            conn,
            realm_id,
            agency_background_color=color or None,
            agency_image=entry.get("agency_image") or None,
            default_locale=entry.get("default_locale") or None,
            user_report_learn_more_url=entry.get("web_report_learn_more_url") or None,
        )


def _sync_translations(conn, realm_id: int, entry: dict, report: SyncReport) -> None:
    incoming: dict[tuple[str, str], str] = {}
    for loc in entry.get("localizations") or []:
        msgid = loc.get("msgid", "")
        if not msgid or "-" in msgid:
            # The original keyed "<realm>-<locale>-<msgid>" and split on "-".
            raise ValueError(f"invalid message key {msgid!r}")
        for tr in loc.get("translations") or []:
            locale = str(tr.get("lang", ""))[:2].lower()
            incoming[(locale, msgid)] = tr.get("message", "")
    with conn.transaction():
        existing = q.list_translations(conn, realm_id=realm_id)
        for (locale, msgid), message in incoming.items():
            found = existing.get((locale, msgid))
            if found is None:
                q.insert_translation(
                    conn, realm_id=realm_id, locale=locale, msgid=msgid, message=message
                )
                report.translations_added += 1
            elif found[1] != message:
                q.update_translation(conn, translation_id=found[0], message=message)
                report.translations_updated += 1
        stale = [tid for key, (tid, _) in existing.items() if key not in incoming]
        if stale:
            report.translations_deleted += q.delete_translations(conn, ids=stale)


def _sync_app(conn, realm, region: str, entry: dict, report: SyncReport, token):
    target = entry.get("android_target") or {}
    sha = target.get("sha256_cert_fingerprints", "")
    package = target.get("package_name", "")
    if not sha or not package:
        return
    apps = q.android_apps(conn, realm_id=realm.id)
    if any(app_sha == sha for _, app_sha in apps):
        return
    name = target.get("app_name") or f"{region} Android App"
    if any(app_name.lower() == name.lower() for app_name, _ in apps):
        suffix = base64.urlsafe_b64encode(token(6)).decode()[:8]
        name = f"{name} {suffix}"
    with conn.transaction():
        app_id = q.insert_android_app(
            conn,
            realm_id=realm.id,
            name=name,
            url=f"https://play.google.com/store/apps/details?id={package}",
            app_id=package,
            sha=sha,
            headless=bool(entry.get("headless", False)),
        )
        audit.record(
            conn,
            realm_id=realm.id,
            actor=audit.SYSTEM,
            action="created mobile app",
            target_id=f"mobile_apps:{app_id}",
            target_display=f"{name} (Android)",
        )
    report.apps_created += 1
