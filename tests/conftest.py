"""Shared fixtures: real PostgreSQL and Redis, isolated per test.

PostgreSQL: ``DATABASE_URL`` if set, else the local server on 127.0.0.1, else
an embedded pgserver. Each xdist worker migrates one template database once;
``conn`` gives a test a connection inside a transaction that is rolled back,
and ``fresh_db`` clones the template for tests that cross processes.

Redis: ``REDIS_URL`` if set, else 127.0.0.1:6379, else an embedded
redis-server. Each test gets its own key namespace, deleted afterwards.
"""

from __future__ import annotations

import base64
import itertools
import os
import socket
import urllib.parse
import uuid
from pathlib import Path

import psycopg
import pytest

from db.pool import SingleConnectionSource
from tests.support import TEST_KEK, make_env, with_dbname


def _can_connect(dsn: str) -> bool:
    try:
        with psycopg.connect(dsn, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


def _server_dsn(tmp_root: Path) -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    local = "postgresql://postgres@127.0.0.1:5432/postgres"
    if _can_connect(local):
        return local
    from encv.embedded import start_postgres

    return start_postgres(tmp_root / "embedded-pg").get_uri()


def _redis_url(tmp_root: Path) -> str:
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/0"
    except OSError:
        from encv.embedded import start_redis

        proc, url = start_redis(tmp_root / "embedded-redis")
        import atexit

        atexit.register(proc.kill)
        return url


@pytest.fixture(scope="session")
def worker_id_str(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "main")


@pytest.fixture(scope="session")
def pg_server_dsn(tmp_path_factory) -> str:
    """DSN of the PostgreSQL server the suite uses (maintenance database)."""
    return _server_dsn(tmp_path_factory.getbasetemp().parent)


@pytest.fixture(scope="session")
def template_db(pg_server_dsn, worker_id_str) -> str:
    """A migrated database with secrets and system keys, one per worker."""
    from db.crypto import Envelope
    from db.keystore import PostgresKeyStore
    from db.migrate import migrate
    from db.secrets import SecretStore
    from models.keys.system import ensure_all

    name = f"encv_tpl_{worker_id_str}_{os.getpid()}"
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_dbname(pg_server_dsn, name)
    with psycopg.connect(url, autocommit=True) as conn:
        migrate(conn)
        envelope = Envelope(base64.b64decode(TEST_KEK))
        ensure_all(conn, PostgresKeyStore(envelope), SecretStore(envelope), "v1")
    yield url
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_clone_counter = itertools.count()


@pytest.fixture
def fresh_db(pg_server_dsn, template_db):
    """A committed, private copy of the template (for multi-process tests)."""
    template = urllib.parse.urlsplit(template_db).path.lstrip("/")
    name = f"{template}_c{next(_clone_counter)}"
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield with_dbname(pg_server_dsn, name)
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def conn(template_db):
    """A connection whose work is rolled back when the test ends."""
    with psycopg.connect(template_db, autocommit=True) as connection:
        with connection.transaction(force_rollback=True):
            yield connection


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    return _redis_url(tmp_path_factory.getbasetemp().parent)


@pytest.fixture
def redis_client(redis_url):
    """A real Redis client; keys the test creates under its namespace are removed."""
    import redis

    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def namespace(redis_client) -> str:
    """A per-test key namespace, deleted from Redis at teardown."""
    ns = f"t{uuid.uuid4().hex[:12]}"
    yield ns
    keys = list(redis_client.scan_iter(match=f"{ns}*", count=1000))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture
def settings():
    """Test settings: fixed KEK, no rate limiting unless a test asks for it."""
    from models.settings import Settings

    return Settings.from_env(make_env())


@pytest.fixture
def services(settings, conn):
    """Services over the rolled-back test connection with an in-process cache."""
    from models.clock import SystemClock
    from models.services import build_services

    svc = build_services(settings, db=SingleConnectionSource(conn), clock=SystemClock())
    yield svc
    svc.close()


@pytest.fixture
def fake_sms():
    """A Twilio-compatible SMS provider on a local port."""
    from tests.fakes.sms import start_fake_sms

    state = start_fake_sms()
    yield state
    state.close()
