"""ENX redirect rules (protocol §9): pure functions, no I/O.

The redirector maps the request host to a region, looks up the realm of that
region and its mobile apps, and answers either with an app-association file
or with a 303 to the app store, an ``ens://`` link or an Android intent.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from models.network import strip_port

# Where a browser that is neither Android nor iOS is sent from the host root.
EN_LANDING_URL = "https://www.google.com/covid19/exposurenotifications/"
# Where a phone goes when the host has no region (protocol §9.3 step 1).
ANDROID_PICKER = "ensonboarding://picker"
IOS_ONBOARDING = "ens://onboarding"

# ``mobile_apps.os`` values.
OS_IOS = 1
OS_ANDROID = 2


@dataclass(frozen=True)
class App:
    """The parts of a ``mobile_apps`` row the redirector uses."""

    os: int
    app_id: str
    url: str
    sha: str = ""
    headless: bool = False
    disable_redirect: bool = False


@dataclass(frozen=True)
class AppStoreData:
    """Where to send phones of one realm (first redirect-enabled app per OS)."""

    android_url: str = ""
    android_app_id: str = ""
    android_headless: bool = False
    ios_url: str = ""


def parse_host_regions(text: str) -> dict[str, str]:
    """Parse ``host1:REG1,host2:REG2``; raise ValueError on an empty part."""
    mapping: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        host, sep, region = item.partition(":")
        host, region = host.strip().lower(), region.strip().upper()
        if not sep or not host or not region:
            raise ValueError(f"invalid host:region pair {item.strip()!r}")
        mapping[host] = region
    return mapping


def region_for_host(mapping: Mapping[str, str], host: str) -> str | None:
    """Return the region of a request ``Host`` header, or None if unmapped."""
    return mapping.get(strip_port(host.strip().lower()))


def is_android(user_agent: str) -> bool:
    """Say whether a user agent is an Android device."""
    return "android" in user_agent.lower()


def is_ios(user_agent: str) -> bool:
    """Say whether a user agent is an iPhone or a Mac (iPads say neither)."""
    lowered = user_agent.lower()
    return "iphone" in lowered or "macintosh" in lowered


def app_store_data(apps: Iterable[App]) -> AppStoreData:
    """Pick the first redirect-enabled Android and iOS apps of a realm."""
    android = ios = None
    for app in apps:
        if app.disable_redirect:
            continue
        if app.os == OS_ANDROID and android is None:
            android = app
        elif app.os == OS_IOS and ios is None:
            ios = app
    return AppStoreData(
        android_url=android.url if android else "",
        android_app_id=android.app_id if android else "",
        android_headless=android.headless if android else False,
        ios_url=ios.url if ios else "",
    )


def _encode(query: Mapping[str, Sequence[str]], region: str) -> str:
    # Go's url.Values.Encode: keys sorted, values in order, QueryEscape'd.
    values = {key: list(vals) for key, vals in query.items()}
    values["r"] = [region]
    return "&".join(
        f"{_escape(key)}={_escape(value)}"
        for key in sorted(values)
        for value in values[key]
    )


def _escape(text: str) -> str:
    return urllib.parse.quote_plus(text, safe="")


def _trim_slash(path: str) -> str:
    return path[1:] if path.startswith("/") else path


def ens_url(path: str, query: Mapping[str, Sequence[str]], region: str) -> str:
    """Build the ``ens://`` link for ``path`` with ``r`` set to ``region``."""
    return f"ens://{_trim_slash(path)}?{_encode(query, region)}"


def intent_url(
    path: str,
    query: Mapping[str, Sequence[str]],
    region: str,
    app_id: str,
    fallback_url: str,
) -> str:
    """Build the Android intent link that opens ``app_id`` or its store page."""
    return (
        f"intent://{_trim_slash(path)}?{_encode(query, region)}"
        f"#Intent;scheme=ens;package={app_id};"
        "action=android.intent.action.VIEW;"
        "category=android.intent.category.BROWSABLE;"
        f"S.browser_fallback_url={_escape(fallback_url)};end"
    )


def unmapped_host_location(user_agent: str) -> str | None:
    """Return where a phone goes when the host has no region (else None)."""
    if is_android(user_agent):
        return ANDROID_PICKER
    if is_ios(user_agent):
        return IOS_ONBOARDING
    return None


def decide(
    *,
    user_agent: str,
    path: str,
    query: Mapping[str, Sequence[str]],
    region: str,
    enx_enabled: bool,
    apps: AppStoreData,
) -> str | None:
    """Return the 303 ``Location`` for a request, or None for a 404."""
    path = path.lower()
    no_query = not query
    picker = f"{ANDROID_PICKER}/{region.lower()}"
    if is_android(user_agent):
        if apps.android_headless:
            return picker
        if no_query:
            return apps.android_url or picker
        if apps.android_app_id and apps.android_url:
            return intent_url(
                path, query, region, apps.android_app_id, apps.android_url
            )
        return picker
    if is_ios(user_agent):
        if no_query:
            return apps.ios_url or IOS_ONBOARDING
        if apps.ios_url:
            return apps.ios_url
        if enx_enabled:
            return ens_url(path, query, region)
        return None
    return EN_LANDING_URL if no_query else None


def apple_association(app_ids: Iterable[str]) -> dict:
    """Build the ``apple-app-site-association`` document for iOS app ids."""
    return {
        "applinks": {
            "apps": [],
            "details": [{"appID": app_id, "paths": ["*"]} for app_id in app_ids],
        }
    }


def android_assetlinks(apps: Iterable[App]) -> list[dict]:
    """Build the ``assetlinks.json`` statements for Android apps."""
    return [
        {
            "relation": ["delegate_permission/common.handle_all_urls"],
            "target": {
                "namespace": "android_app",
                "package_name": app.app_id,
                "sha256_cert_fingerprints": app.sha.split("\n"),
            },
        }
        for app in apps
    ]


@dataclass(frozen=True)
class WebReport:
    """A report submitted through the web view (protocol §8.3, §8.5)."""

    realm_id: int
    app_id: int  # the DEVICE key that opened the web view (for the audit log)
    app_name: str
    phone: str
    test_date: str  # YYYY-MM-DD as typed; "" when not given
    symptom_date: str  # the web view never asks for it: always ""
    nonce: bytes  # the 256 bytes the app sent on /report
    language: str  # page locale, e.g. "es"
    # True when the realm has a user-report webhook: issue and build the SMS
    # text but do not send it; the submitter then returns the issue response
    # (a JSON-ready dict with code, generatedSMS, phone...) for the webhook.
    only_generate_sms: bool = False


def webhook_signature(secret: str, body: bytes) -> str:
    """Return the webhook's ``X-Signature``: hex HMAC-SHA512 of the body."""
    return hmac.new(secret.encode(), body, hashlib.sha512).hexdigest()
