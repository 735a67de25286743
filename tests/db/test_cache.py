import pytest

from db.cache import MemoryCache, NullCache, RedisCache

SECRET_KEY = "sekrit-api-key.1.signature"


@pytest.fixture(params=["redis", "memory"])
def cache(request, redis_client, namespace):
    if request.param == "redis":
        return RedisCache(redis_client, namespace, b"h" * 32)
    return MemoryCache(namespace, b"h" * 32)


def test_fetch_loads_once_then_serves_cached(cache):
    calls = []

    def loader():
        calls.append(1)
        return {"realm": 7}

    assert cache.fetch(SECRET_KEY, 60, loader) == {"realm": 7}
    assert cache.fetch(SECRET_KEY, 60, loader) == {"realm": 7}
    assert len(calls) == 1
    cache.delete(SECRET_KEY)
    cache.fetch(SECRET_KEY, 60, loader)
    assert len(calls) == 2


def test_none_is_not_cached(cache):
    calls = []
    cache.fetch("k", 60, lambda: calls.append(1))
    cache.fetch("k", 60, lambda: calls.append(1))
    assert len(calls) == 2


def test_redis_keys_are_hmacd(redis_client, namespace):
    cache = RedisCache(redis_client, namespace, b"h" * 32)
    cache.fetch(SECRET_KEY, 60, lambda: 1)
    keys = [k.decode() for k in redis_client.scan_iter(match=f"{namespace}*")]
    assert len(keys) == 1
    assert SECRET_KEY not in keys[0] and "sekrit" not in keys[0]
    assert keys[0].startswith(f"{namespace}:cache:")
    # A different HMAC key maps the same logical key elsewhere.
    other = RedisCache(redis_client, namespace, b"o" * 32)
    assert other.hashed(SECRET_KEY) != cache.hashed(SECRET_KEY)
    assert 0 < redis_client.pttl(keys[0]) <= 60_000


def test_memory_cache_expires_with_its_clock():
    now = [100.0]
    cache = MemoryCache("ns", b"h" * 32, clock=lambda: now[0])
    calls = []
    cache.fetch("k", 10, lambda: calls.append(1) or 1)
    now[0] += 9
    cache.fetch("k", 10, lambda: calls.append(1) or 1)
    now[0] += 2
    cache.fetch("k", 10, lambda: calls.append(1) or 1)
    assert len(calls) == 2
    assert all("k" != key for key in cache.keys())


def test_null_cache_always_loads():
    calls = []
    cache = NullCache()
    cache.fetch("k", 60, lambda: calls.append(1) or 1)
    cache.fetch("k", 60, lambda: calls.append(1) or 1)
    assert len(calls) == 2


def test_clear_prefix_forgets_only_that_type(cache):
    calls = []
    for key in ("realm:1", "realm:2", "apikey:abc"):
        cache.fetch(key, 60, lambda: calls.append(1) or 1)
    assert cache.clear_prefix("realm:") == 2
    for key in ("realm:1", "realm:2", "apikey:abc"):
        cache.fetch(key, 60, lambda: calls.append(1) or 1)
    assert len(calls) == 5  # both realms reloaded, the API key still cached
