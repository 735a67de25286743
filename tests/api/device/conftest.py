"""Fixtures for the device API: a realm, a DEVICE key, a client on a fixed clock."""

from __future__ import annotations

import dataclasses
import datetime as dt

import falcon.testing
import pytest

from api.device.app import create_app
from db.queries.realms.core import insert_realm
from models.clock import FixedClock
from models.codes.core import NewCode, insert_code
from models.realms.apikeys import KeyType, create_api_key

NOW = dt.datetime(2026, 3, 10, 12, 0, 0, tzinfo=dt.UTC)


@dataclasses.dataclass
class Device:
    """A DEVICE-key client of one realm with helpers to issue codes."""

    client: falcon.testing.TestClient
    services: object
    conn: object
    clock: FixedClock
    realm_id: int
    app_id: int
    api_key: str

    def issue(self, test_type="confirmed", realm_id=None, **fields):
        """Store a code directly (issuance is the admin API's job)."""
        new = NewCode(
            realm_id=realm_id or self.realm_id,
            test_type=test_type,
            symptom_date=fields.pop("symptom_date", None),
            test_date=fields.pop("test_date", None),
            short_length=8,
            long_length=16,
            short_ttl=fields.pop("short_ttl", 900),
            long_ttl=fields.pop("long_ttl", 86400),
            **fields,
        )
        return insert_code(self.conn, self.services.secrets, new, self.clock.now())

    def post(self, path, body=None, headers=None, **kwargs):
        """POST JSON with the DEVICE key."""
        merged = {"X-API-Key": self.api_key, "Content-Type": "application/json"}
        merged.update(headers or {})
        return self.client.simulate_post(path, json=body, headers=merged, **kwargs)

    def verify(self, code, **body):
        return self.post("/api/verify", {"code": code, **body})

    def in_maintenance(self) -> falcon.testing.TestClient:
        """Return a client of the same app with server maintenance on."""
        settings = dataclasses.replace(self.services.settings, maintenance_mode=True)
        app = create_app(dataclasses.replace(self.services, settings=settings))
        return falcon.testing.TestClient(app)

    def post_garbage(self, client, path):
        """POST a body that cannot bind, with the DEVICE key."""
        return client.simulate_post(
            path,
            body=b"not json",
            headers={"X-API-Key": self.api_key, "Content-Type": "text/plain"},
        )

    def certificate(self, token, ekeyhmac, **body):
        return self.post(
            "/api/certificate", {"token": token, "ekeyhmac": ekeyhmac, **body}
        )


def make_realm(conn, services, name="Device Realm", **columns):
    """Create a realm and a DEVICE key in it; return (realm_id, app_id, key)."""
    realm_id = insert_realm(conn, name, **columns)
    key, app_id = create_api_key(
        conn,
        services.secrets,
        realm_id=realm_id,
        name=f"{name} app",
        key_type=KeyType.DEVICE,
    )
    return realm_id, app_id, key


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def device(conn, services, clock):
    svc = dataclasses.replace(services, clock=clock)
    realm_id, app_id, key = make_realm(conn, svc)
    client = falcon.testing.TestClient(create_app(svc))
    return Device(client, svc, conn, clock, realm_id, app_id, key)


@dataclasses.dataclass
class LiveDevice:
    """The apiserver under gunicorn on a committed database."""

    base: str
    api_key: str
    realm_id: int
    services: object

    def issue(self, test_type="confirmed", **fields):
        """Commit a code that the gunicorn workers can see."""
        new = NewCode(
            realm_id=self.realm_id,
            test_type=test_type,
            symptom_date=fields.pop("symptom_date", None),
            test_date=fields.pop("test_date", None),
            short_length=8,
            long_length=16,
            short_ttl=900,
            long_ttl=86400,
            **fields,
        )
        with self.services.db.connection() as conn, conn.transaction():
            return insert_code(
                conn, self.services.secrets, new, dt.datetime.now(dt.UTC)
            )

    def post(self, path: str, body: dict, headers: dict | None = None):
        """POST JSON over real HTTP; return (status, parsed body or text, headers)."""
        import json
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={
                "X-API-Key": self.api_key,
                "Content-Type": "application/json",
                **(headers or {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310
                raw, status, got = resp.read(), resp.status, dict(resp.headers)
        except urllib.error.HTTPError as ex:
            raw, status, got = ex.read(), ex.code, dict(ex.headers)
        try:
            return status, json.loads(raw), got
        except ValueError:
            return status, raw.decode(), got


@pytest.fixture
def live_device(fresh_db):
    """Run the apiserver (4 sync workers) against a private committed database."""
    from db.pool import PoolSource
    from models.services import build_services
    from models.settings import Settings
    from tests.support import gunicorn, make_env

    env = make_env(DATABASE_URL=fresh_db)
    pool = PoolSource(fresh_db, max_size=4, name="test").open()
    svc = build_services(Settings.from_env(env), db=pool)
    with pool.connection() as conn, conn.transaction():
        realm_id, _app_id, key = make_realm(conn, svc, name="Live Realm")
    try:
        with gunicorn("api.device.app:get_app()", env, workers=4) as base:
            yield LiveDevice(base, key, realm_id, svc)
    finally:
        svc.close()
        pool.close()


def insert_user_report(conn, *, phone_hash, nonce, nonce_required, now):
    """Store a user-report row directly (issuance owns the real path)."""
    return conn.execute(
        "INSERT INTO user_reports (phone_hash, nonce, nonce_required, created_at)"
        " VALUES (%s, %s, %s, %s) RETURNING id",
        (phone_hash, nonce, nonce_required, now),
    ).fetchone()[0]
