"""A fake of the published ENX app feed (apps.json)."""

from __future__ import annotations

from tests.fakes.http import FakeHttpServer, static


def feed_entry(region: str, **overrides) -> dict:
    """Return one feed entry in the published shape."""
    entry = {
        "region": region,
        "is_enx": True,
        "android_target": {
            "namespace": "android_app",
            "app_name": f"{region} Notify",
            "package_name": f"gov.{region.lower().replace('-', '')}.app",
            "sha256_cert_fingerprints": "AA:BB:CC",
        },
        "agency_color": "#AABBCC",
        "agency_image": "https://example.org/logo.png",
        "default_locale": "en_US",
        "web_report_learn_more_url": "https://example.org/learn",
        "headless": False,
        "localizations": [
            {
                "msgid": "agencyRegionName",
                "translations": [
                    {"lang": "en_US", "message": "Example"},
                    {"lang": "es_US", "message": "Ejemplo"},
                ],
            }
        ],
    }
    entry.update(overrides)
    return entry


def app_feed_server(apps: list[dict]) -> FakeHttpServer:
    """Serve ``{"apps": apps}`` at ``/apps.json``."""
    return FakeHttpServer({("GET", "/apps.json"): static({"apps": apps})})
