import threading

import pytest
import redis as redislib

from db.cache import BackendUnavailable
from db.ratelimit import MemoryRateLimiter, NullRateLimiter, RedisRateLimiter


@pytest.fixture(params=["redis", "memory"])
def limiter_factory(request, redis_client):
    def make(tokens, interval):
        if request.param == "redis":
            return RedisRateLimiter(redis_client, b"r" * 32, tokens, interval)
        return MemoryRateLimiter(b"r" * 32, tokens, interval)

    return make


def test_allows_exactly_the_bucket_then_refuses(limiter_factory, namespace):
    limiter = limiter_factory(3, 60)
    decisions = [limiter.take(namespace, "1:10.0.0.1") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert all(d.limit == 3 for d in decisions)
    assert decisions[0].reset >= decisions[0].reset > 0
    # Another client has its own bucket.
    assert limiter.take(namespace, "1:10.0.0.2").allowed


def test_concurrent_takes_never_exceed_the_bucket(limiter_factory, namespace):
    limiter = limiter_factory(50, 60)
    allowed = []
    lock = threading.Lock()

    def worker():
        for _ in range(20):
            decision = limiter.take(namespace, "shared")
            with lock:
                allowed.append(decision.allowed)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert allowed.count(True) == 50


def test_memory_window_refills_at_its_end():
    now = [1000.0]
    limiter = MemoryRateLimiter(b"r" * 32, 1, 60, clock=lambda: now[0])
    assert limiter.take("ns", "k").allowed
    assert not limiter.take("ns", "k").allowed
    now[0] += 61
    assert limiter.take("ns", "k").allowed


def test_redis_keys_are_hmacd_and_expire(redis_client, namespace):
    limiter = RedisRateLimiter(redis_client, b"r" * 32, 5, 30)
    limiter.take(namespace, "7:192.168.1.20")
    keys = [k.decode() for k in redis_client.scan_iter(match=f"{namespace}*")]
    assert len(keys) == 1 and "192.168" not in keys[0]
    assert 0 < redis_client.pttl(keys[0]) <= 30_000


def test_redis_failure_is_reported_not_allowed():
    broken = redislib.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    limiter = RedisRateLimiter(broken, b"r" * 32, 5, 30)
    with pytest.raises(BackendUnavailable):
        limiter.take("ns", "k")


def test_null_limiter_always_allows():
    decision = NullRateLimiter().take("ns", "k")
    assert decision.allowed and decision.limit == 0 and decision.reset == 0
