"""Wiring shared by the command line and `encv up`: settings, database, argv.

Both ``encv.cli`` (one command at a time) and ``encv.up`` (the whole stack)
build on these; neither imports the other's internals.
"""

from __future__ import annotations

import logging
import os
import sys

from models.settings import Settings, SettingsError

log = logging.getLogger("encv")

SURFACES = {
    "server": "ui.app:get_app()",
    "apiserver": "api.device.app:get_app()",
    "adminapi": "api.admin.app:get_app()",
    "enx-redirect": "api.redirect.app:get_app()",
    # Local only: stands in for the key server so `encv up` can run the prober.
    "key-server-standin": "api.keyserver.app:get_app()",
}
# Offsets from --port-base, in the order of the contract.
SURFACE_OFFSETS = {"server": 0, "apiserver": 1, "adminapi": 2, "enx-redirect": 3}
STANDIN_OFFSET = 4


def load_settings(surface: str = "") -> Settings:
    """Build settings (checked for ``surface``) or exit with every reason."""
    try:
        return Settings.from_env(os.environ, surface)
    except SettingsError as ex:
        sys.exit(f"encv: {ex}")


def database_url(settings: Settings) -> str:
    """Return DATABASE_URL, or the embedded PostgreSQL's (started if needed)."""
    if settings.database_url:
        return settings.database_url.value
    from encv.embedded import embedded_database_url

    url = embedded_database_url(settings.data_dir)
    log.info(
        "DATABASE_URL not set: using the embedded PostgreSQL in %s", settings.data_dir
    )
    return url


def with_database(settings: Settings, url: str) -> Settings:
    """Return settings whose DATABASE_URL is ``url``."""
    from models.settings import Secret

    return settings.replace(database_url=Secret(url))


def prepare_database(settings: Settings, url: str) -> list[str]:
    """Apply migrations and create the secrets and system keys; return what changed."""
    from db.crypto import Envelope
    from db.keystore import PostgresKeyStore
    from db.migrate import migrate
    from db.pool import connect
    from db.secrets import SecretStore
    from models.keys.system import ensure_all
    from models.services import load_kek

    with connect(url) as conn:
        applied = migrate(conn)
        envelope = Envelope(load_kek(settings))
        made = ensure_all(
            conn,
            PostgresKeyStore(envelope),
            SecretStore(envelope),
            settings.tokens.certificate_key_id,
        )
    return applied + made


def demo_credentials(settings: Settings):
    """Create or refresh the demo realm and return its credentials."""
    from db.pool import SingleConnectionSource, connect
    from models.realms.bootstrap import bootstrap_demo
    from models.services import build_services

    with connect(settings.database_url.value) as conn:
        services = build_services(settings, db=SingleConnectionSource(conn))
        return bootstrap_demo(conn, services.secrets)


def print_demo(creds) -> None:
    """Print demo credentials for a person."""
    print(
        f"Demo realm {creds.realm_name!r} (id {creds.realm_id}, "
        f"region {creds.region_code})"
    )
    print(f"  admin API key:  {creds.admin_api_key}")
    print(f"  device API key: {creds.device_api_key}")
    print(f"  stats API key:  {creds.stats_api_key}")
    print(
        f"  system admin:   {creds.system_admin['email']} / "
        f"{creds.system_admin['password']}"
    )
    print(
        f"  realm admin:    {creds.realm_admin['email']} / "
        f"{creds.realm_admin['password']}"
    )


def child_env(settings: Settings, url: str) -> dict[str, str]:
    """Environment for child processes: same settings, explicit database."""
    env = dict(os.environ)
    env["DATABASE_URL"] = url
    env["ENCV_DATA_DIR"] = str(settings.data_dir)
    return env


def local_server_endpoint(env: dict[str, str], port_base: int) -> dict[str, str]:
    """Point account-mail links at the local server unless SERVER_ENDPOINT is set.

    ``localhost``, not 127.0.0.1: browsers treat it as a secure context, which
    passkeys (WebAuthn) need, and it is a valid relying-party id.
    """
    port = port_base + SURFACE_OFFSETS["server"]
    env.setdefault("SERVER_ENDPOINT", f"http://localhost:{port}")
    return env


def gunicorn_argv(surface: str, bind: str, workers: int) -> list[str]:
    """Return the argv that serves ``surface`` under gunicorn."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:encv.gunicorn_conf",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--name",
        f"encv-{surface}",
        SURFACES[surface],
    ]
