"""Redis outages degrade instead of stopping (design.md §5), with a real Redis."""

import logging
import time

import falcon.testing
import pytest

from db.fallback import RedisHealth
from db.pool import SingleConnectionSource
from db.quota import PostgresRateLimiter
from encv.embedded import free_port, start_redis
from models.services import build_services
from models.settings import Settings
from tests.support import make_env


@pytest.fixture
def own_redis(tmp_path):
    """A private redis-server that a test may kill and start again on its port."""
    port = free_port()
    procs = [start_redis(tmp_path, port)[0]]

    class Handle:
        url = f"redis://127.0.0.1:{port}/0"

        def kill(self):
            procs[-1].kill()
            procs[-1].wait(timeout=10)

        def start(self):
            procs.append(start_redis(tmp_path, port)[0])

    yield Handle()
    for proc in procs:
        proc.kill()
        proc.wait(timeout=10)


def redis_services(conn, url, **env):
    settings = Settings.from_env(
        make_env(REDIS_URL=url, RATE_LIMIT_TYPE="redis", RATE_LIMIT_TOKENS="3", **env)
    )
    services = build_services(settings, db=SingleConnectionSource(conn))
    services.redis_health._retry = 0.1  # probe again quickly in tests
    return services


def wait_for(predicate, seconds=5.0):
    """Poll ``predicate`` for at most ``seconds``; return its last answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_limiter_and_cache_fall_back_while_redis_is_down(conn, own_redis, caplog):
    services = redis_services(conn, own_redis.url)
    limiter, health = services.limiter, services.redis_health
    try:
        assert limiter.take("t:ratelimit", "client").remaining == 2  # in Redis
        own_redis.kill()
        caplog.set_level(logging.WARNING, logger="db.fallback")
        # The fallback window (PostgreSQL) still enforces the limit.
        taken = [limiter.take("t:ratelimit", "client") for _ in range(4)]
        assert [d.allowed for d in taken] == [True, True, True, False]
        assert health.down and health.outages == 1 and health.fallbacks >= 4
        loads = []
        for _ in range(3):
            value = services.cache.fetch("k", 60, lambda: loads.append(1) or "v")
            assert value == "v"
        assert len(loads) == 3  # straight to the loader, every time
        warnings = [r for r in caplog.records if "unavailable" in r.getMessage()]
        assert len(warnings) == 1  # logged once per outage
        own_redis.start()
        back = wait_for(
            lambda: limiter.take("t:ratelimit", "other") and not health.down
        )
        assert back, "Redis was not used again within 5 s of answering"
        services.cache.fetch("k2", 60, lambda: "cached")
        assert services.cache.fetch("k2", 60, lambda: "reloaded") == "cached"
    finally:
        services.close()


def test_api_requests_succeed_while_redis_is_down(conn, own_redis):
    from api.device.app import create_app
    from models.realms.apikeys import KeyType, create_api_key
    from tests.api.test_common import Protected

    services = redis_services(conn, own_redis.url)
    try:
        key, _ = create_api_key(
            conn, services.secrets, realm_id=1, name="k", key_type=KeyType.DEVICE
        )
        app = create_app(services)
        app.add_route("/api/probe", Protected())
        client = falcon.testing.TestClient(app)
        own_redis.kill()
        statuses = [
            client.simulate_post("/api/probe", headers={"X-API-Key": key}).status_code
            for _ in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]
    finally:
        services.close()


def test_quota_falls_back_to_postgresql(conn, own_redis):
    from db.queries.realms.core import get_realm
    from models.codes.quota import build_quota

    services = redis_services(conn, own_redis.url)
    try:
        conn.execute(
            "UPDATE realms SET abuse_prevention_enabled = true,"
            " abuse_prevention_limit = 10 WHERE id = 1"
        )
        quota = build_quota(services)
        realm = get_realm(conn, 1)
        assert quota.take(realm).remaining >= 0
        own_redis.kill()
        decision = quota.take(realm)
        assert decision.allowed and services.redis_health.down
    finally:
        services.close()


def test_without_redis_every_worker_counts_the_same_window(conn):
    db = SingleConnectionSource(conn)
    worker_a = PostgresRateLimiter(db, b"k" * 32, tokens=3, interval=60)
    worker_b = PostgresRateLimiter(db, b"k" * 32, tokens=3, interval=60)
    results = [w.take("t:ratelimit", "c").allowed for w in (worker_a, worker_b) * 2]
    assert results == [True, True, True, False]


def test_default_without_redis_is_the_shared_postgresql_limiter(conn):
    settings = Settings.from_env(make_env(RATE_LIMIT_TYPE=""))
    services = build_services(settings, db=SingleConnectionSource(conn))
    assert isinstance(services.limiter, PostgresRateLimiter)


def test_health_probes_redis_again_after_the_retry_interval():
    from db.cache import BackendUnavailable

    now = [0.0]
    health = RedisHealth(retry_seconds=1.0, clock=lambda: now[0])
    calls = []

    def broken():
        calls.append(1)
        raise BackendUnavailable("down")

    assert health.call("x", broken, lambda: "fallback") == "fallback"
    assert health.call("x", broken, lambda: "fallback") == "fallback"
    assert len(calls) == 1  # not retried inside the interval
    now[0] = 1.5
    assert health.call("x", lambda: "redis", lambda: "fallback") == "redis"
    assert not health.down and health.fallbacks == 2


def test_a_quota_store_outage_is_unavailable_not_an_internal_error(conn):
    from db.pool import DatabaseUnavailable
    from db.queries.realms.core import get_realm
    from models.codes.quota import RealmQuota

    class Down:
        def take(self, key, limit, window, conn=None):
            raise DatabaseUnavailable("connection refused")

    conn.execute(
        "UPDATE realms SET abuse_prevention_enabled = true,"
        " abuse_prevention_limit = 10 WHERE id = 1"
    )
    with pytest.raises(DatabaseUnavailable):
        RealmQuota(Down(), b"k").take(get_realm(conn, 1))
