"""Surfaces under gunicorn on a private committed database, for fault tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from db.pool import PoolSource
from models.codes.core import NewCode, insert_code
from models.services import build_services
from models.settings import Settings
from tests.api.device.conftest import make_realm
from tests.support import gunicorn, make_env


@dataclasses.dataclass
class Live:
    """The apiserver under gunicorn with a DEVICE key and a way to issue codes."""

    base: str
    api_key: str
    realm_id: int
    services: object

    @property
    def address(self) -> tuple[str, int]:
        parts = urllib.parse.urlsplit(self.base)
        return parts.hostname, parts.port

    def issue(self) -> str:
        """Commit a fresh code; return it."""
        new = NewCode(
            realm_id=self.realm_id,
            test_type="confirmed",
            symptom_date=None,
            test_date=None,
            short_length=8,
            long_length=16,
            short_ttl=900,
            long_ttl=86400,
        )
        with self.services.db.connection() as conn, conn.transaction():
            issued = insert_code(
                conn, self.services.secrets, new, dt.datetime.now(dt.UTC)
            )
        return issued.code

    def request(self, method, path, body=None, timeout=2.0):
        """Return (status, parsed body or text, seconds taken); never raises on HTTP."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as ex:
            status, raw = ex.code, ex.read()
        took = time.perf_counter() - started
        try:
            return status, json.loads(raw), took
        except ValueError:
            return status, raw.decode(errors="replace"), took


def start_live(dsn: str, extra_env: dict, workers: int = 2):
    """Context manager: the apiserver over ``dsn``; yields a :class:`Live`."""
    import contextlib

    @contextlib.contextmanager
    def run():
        env = make_env(DATABASE_URL=dsn, **extra_env)
        pool = PoolSource(dsn, max_size=4, name="fault-test").open()
        svc = build_services(Settings.from_env(make_env(DATABASE_URL=dsn)), db=pool)
        with pool.connection() as conn, conn.transaction():
            realm_id, _app_id, key = make_realm(conn, svc, name="Fault Realm")
        try:
            with gunicorn("api.device.app:get_app()", env, workers=workers) as base:
                yield Live(base, key, realm_id, svc)
        finally:
            svc.close()
            pool.close()

    return run()


@pytest.fixture
def live_apiserver(fresh_db):
    """The apiserver (2 workers) whose socket reads time out after 1 s."""
    with start_live(fresh_db, {"ENCV_REQUEST_READ_TIMEOUT": "1s"}) as live:
        yield live
