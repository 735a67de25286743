"""PostgreSQL restarted and Redis killed under load (issue 12, item 8).

The surfaces run under gunicorn against a PostgreSQL and a Redis of the
test's own, so both can be stopped. A bounded load issues codes on the
admin API and verifies them on the device API throughout. Afterwards:
no issued code is lost, none is claimed twice, every failure was a 503,
and service came back within 5 s of PostgreSQL accepting connections again.
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import json
import threading
import time
import urllib.error
import urllib.request

import psycopg
import pytest

from db.crypto import Envelope
from db.keystore import PostgresKeyStore
from db.migrate import migrate
from db.pool import PoolSource
from db.secrets import SecretStore
from encv.embedded import free_port, start_redis
from models.keys.system import ensure_all
from models.realms.apikeys import KeyType, create_api_key
from models.services import build_services
from models.settings import Settings
from tests.api.device.conftest import make_realm
from tests.faults import pg
from tests.support import TEST_KEK, gunicorn, make_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not pg.available(), reason="needs Debian's postgresql-15"),
]

THREADS = 4


@dataclasses.dataclass
class Stack:
    admin: str
    device: str
    admin_key: str
    device_key: str
    postgres: pg.OwnPostgres
    redis: object


def call(base: str, path: str, key: str, body: dict, timeout: float = 5.0):
    """POST JSON; return (status, body); a network failure is status 0."""
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as ex:
        raw = ex.read()
        try:
            return ex.code, json.loads(raw)
        except ValueError:
            return ex.code, raw.decode(errors="replace")
    except OSError as ex:
        return 0, str(ex)


@pytest.fixture
def stack(tmp_path):
    postgres = pg.OwnPostgres(free_port())
    redis_proc, redis_url = start_redis(tmp_path / "redis")
    try:
        postgres.start()
        with psycopg.connect(postgres.dsn, autocommit=True) as conn:
            migrate(conn)
            envelope = Envelope(base64.b64decode(TEST_KEK))
            ensure_all(conn, PostgresKeyStore(envelope), SecretStore(envelope), "v1")
        env = make_env(
            DATABASE_URL=postgres.dsn,
            REDIS_URL=redis_url,
            RATE_LIMIT_TYPE="redis",
            RATE_LIMIT_TOKENS="1000000",
        )
        pool = PoolSource(postgres.dsn, max_size=2, name="fault-setup").open()
        svc = build_services(Settings.from_env(env), db=pool)
        with pool.connection() as conn, conn.transaction():
            realm_id, _, device_key = make_realm(conn, svc, name="Outage Realm")
            admin_key, _ = create_api_key(
                conn, svc.secrets, realm_id=realm_id, name="pha", key_type=KeyType.ADMIN
            )
        svc.close()
        pool.close()
        with (
            gunicorn("api.admin.app:get_app()", env) as admin,
            gunicorn("api.device.app:get_app()", env) as device,
        ):
            yield Stack(admin, device, admin_key, device_key, postgres, redis_proc)
    finally:
        redis_proc.kill()
        redis_proc.wait(timeout=10)
        postgres.remove()


class Load:
    """Issue-then-verify loops on a few threads, recording every answer."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.events: list[tuple[float, str, int]] = []  # (time, what, status)
        self.issued: dict[str, str] = {}  # uuid -> code
        self.verified = collections.Counter()  # code -> 200 answers
        self.slowest_503 = 0.0
        self.unexpected: list[tuple] = []  # (seconds into the load, what, ...)
        self.started = time.monotonic()

    def _record(self, what: str, status: int, body, took: float) -> None:
        with self.lock:
            self.events.append((time.monotonic(), what, status))
            if status == 503:
                self.slowest_503 = max(self.slowest_503, took)
            if status not in (200, 503):
                self.unexpected.append(
                    (
                        round(time.monotonic() - self.started, 2),
                        what,
                        status,
                        str(body)[:200],
                    )
                )

    def _loop(self) -> None:
        s = self.stack
        deadline = time.monotonic() + 60  # bounded even if stop never comes
        while not self.stop.is_set() and time.monotonic() < deadline:
            started = time.monotonic()
            status, body = call(
                s.admin, "/api/issue", s.admin_key, {"testType": "confirmed"}
            )
            self._record("issue", status, body, time.monotonic() - started)
            if status != 200:
                time.sleep(0.05)
                continue
            with self.lock:
                self.issued[body["uuid"]] = body["code"]
            started = time.monotonic()
            status, answer = call(
                s.device, "/api/verify", s.device_key, {"code": body["code"]}
            )
            self._record("verify", status, answer, time.monotonic() - started)
            if status == 200:
                with self.lock:
                    self.verified[body["code"]] += 1

    def __enter__(self):
        self.threads = [threading.Thread(target=self._loop) for _ in range(THREADS)]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def between(self, start: float, end: float) -> list[tuple[float, str, int]]:
        with self.lock:
            return [e for e in self.events if start <= e[0] < end]


def first_success_after(load: Load, since: float, limit: float = 15.0) -> float | None:
    """Seconds from ``since`` to the first 200 after it (polled, bounded)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ok = [
            t for t, _, status in load.between(since, time.monotonic()) if status == 200
        ]
        if ok:
            return ok[0] - since
        time.sleep(0.05)
    return None


def test_postgres_restart_and_redis_kill_under_load(stack):
    with Load(stack) as load:
        time.sleep(2)
        down_at = time.monotonic()
        print(f"\nPostgreSQL stopped at {down_at - load.started:.2f} s")
        stack.postgres.stop("immediate")
        time.sleep(2)
        stack.postgres.start()
        up_at = time.monotonic()
        print(f"PostgreSQL accepting again at {up_at - load.started:.2f} s")
        pg_recovery = first_success_after(load, up_at)
        time.sleep(2)
        stack.redis.kill()
        redis_at = time.monotonic()
        redis_recovery = first_success_after(load, redis_at)
        time.sleep(2)
        end_at = time.monotonic()
    statuses = collections.Counter(status for _, _, status in load.events)
    during_pg = collections.Counter(s for _, _, s in load.between(down_at, up_at + 5))
    during_redis = collections.Counter(s for _, _, s in load.between(redis_at, end_at))
    slow_503 = [e for e in load.between(down_at, up_at) if e[2] == 503]

    # Every issued code is in the database; none was verified twice.
    with psycopg.connect(stack.postgres.dsn) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM verification_codes WHERE uuid = ANY(%s::uuid[])",
            (list(load.issued),),
        ).fetchone()[0]
    lost = len(load.issued) - stored
    double = sum(1 for n in load.verified.values() if n > 1)
    # A code verified once cannot be verified again.
    again = [
        call(stack.device, "/api/verify", stack.device_key, {"code": code})[0]
        for code in list(load.verified)[:20]
    ]
    print(
        f"\nfaults: {sum(statuses.values())} requests {dict(statuses)};"
        f" PostgreSQL down {up_at - down_at:.1f} s (answers until 5 s after: {dict(during_pg)}),"
        f" recovered {pg_recovery} s after it accepted connections;"
        f" Redis killed: {dict(during_redis)}, first success after"
        f" {redis_recovery} s; 503s while down: {len(slow_503)}, slowest"
        f" {load.slowest_503:.2f} s;"
        f" codes issued {len(load.issued)}, lost {lost}, claimed twice {double}"
    )
    assert set(statuses) <= {200, 503}, load.unexpected[:5]
    assert statuses[200] > 0 and during_pg[503] > 0  # the outage was real
    assert pg_recovery is not None and pg_recovery <= 5.0
    assert load.slowest_503 <= 2.0  # fail fast: no request hangs on the outage
    assert redis_recovery is not None and redis_recovery <= 5.0
    assert not [s for s in during_redis if s != 200]
    assert lost == 0 and double == 0
    assert again and all(status == 400 for status in again)
