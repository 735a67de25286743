"""Shared setup of the web-view browser tests: a demo realm behind gunicorn."""

from __future__ import annotations

import base64
import os
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg

from db.crypto import Envelope
from db.secrets import SecretStore
from models.realms.bootstrap import DEMO_REGION, bootstrap_demo
from models.secrets import Secrets
from tests.support import TEST_KEK, gunicorn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Browsers send Host "localhost:<port>"; dev mode compares without the port.
REDIRECT_DOMAIN = "localhost"


@dataclass(frozen=True)
class Stack:
    """The running redirector and what a phone app would hold."""

    base_url: str
    device_api_key: str
    realm_id: int
    nonce: str  # b64std of 256 random bytes


def demo_realm(dsn: str) -> tuple[int, str]:
    """Create the demo realm in ``dsn``; return (realm id, device API key)."""
    secrets = Secrets(SecretStore(Envelope(base64.b64decode(TEST_KEK))))
    with psycopg.connect(dsn, autocommit=True) as conn:
        creds = bootstrap_demo(conn, secrets)
    return creds.realm_id, creds.device_api_key


@contextmanager
def redirect_stack(dsn: str, **env: str):
    """Serve enx-redirect for the demo realm of ``dsn`` under gunicorn."""
    realm_id, key = demo_realm(dsn)
    full_env = {
        "DATABASE_URL": dsn,
        "ENCV_KEK": TEST_KEK,
        "DEV_MODE": "true",
        "ENX_REDIRECT_DOMAIN": REDIRECT_DOMAIN,
        "HOSTNAME_TO_REGION": f"{DEMO_REGION.lower()}.localhost:{DEMO_REGION}",
        "RATE_LIMIT_TYPE": "noop",
        "ENCV_LOG_LEVEL": "WARNING",
        **env,
    }
    with gunicorn("api.redirect.app:get_app()", full_env, workers=2) as base:
        nonce = base64.b64encode(os.urandom(256)).decode()
        yield Stack(base.replace("127.0.0.1", REDIRECT_DOMAIN), key, realm_id, nonce)


@contextmanager
def chromium_page(stack: Stack, **context_options):
    """Open a headless Chromium page that sends the app's key and nonce."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                extra_http_headers={
                    "X-API-Key": stack.device_api_key,
                    "X-Nonce": stack.nonce,
                },
                **context_options,
            )
            yield context.new_page()
        finally:
            browser.close()
