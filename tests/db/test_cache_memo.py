"""The per-process memo of decoded cache values (db.cache.Memoized)."""

import pytest

from db.cache import Memoized, MemoryCache, RedisCache, fetch_decoded


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def redis_cache(redis_client, namespace):
    return RedisCache(redis_client, namespace, b"h" * 32)


def counting(value):
    calls = []

    def loader():
        calls.append(1)
        return value

    return loader, calls


def decode(data):
    return ("decoded", data["n"])


def counting_decoder():
    decoded = []

    def counting_decode(data):
        decoded.append(1)
        return decode(data)

    return counting_decode, decoded


def test_a_decoded_value_is_kept_and_not_decoded_again():
    cache = Memoized(MemoryCache("t", b"h" * 32), shared=False)
    counting_decode, decoded = counting_decoder()
    loader, calls = counting({"n": 1})
    first = cache.fetch_decoded("realm:1", 60, loader, counting_decode)
    again = cache.fetch_decoded("realm:1", 60, loader, counting_decode)
    assert first == again == ("decoded", 1)
    assert again is first
    assert (len(calls), len(decoded)) == (1, 1)


def test_delete_and_clear_prefix_forget_the_memo_and_the_backend():
    cache = Memoized(MemoryCache("t", b"h" * 32), shared=False)
    loader, calls = counting({"n": 2})
    cache.fetch_decoded("realm:1", 60, loader, decode)
    cache.delete("realm:1")
    cache.fetch_decoded("realm:1", 60, loader, decode)
    assert len(calls) == 2
    cache.fetch_decoded("apikey:abc", 60, loader, decode)
    assert cache.clear_prefix("apikey:") == 1
    cache.fetch_decoded("apikey:abc", 60, loader, decode)
    cache.fetch_decoded("realm:1", 60, loader, decode)
    assert len(calls) == 4  # the key was loaded again, the realm stayed


def test_none_is_never_memoised():
    cache = Memoized(MemoryCache("t", b"h" * 32), shared=False)
    loader, calls = counting(None)
    assert cache.fetch_decoded("realm:9", 60, loader, decode) is None
    assert cache.fetch_decoded("realm:9", 60, loader, decode) is None
    assert len(calls) == 2


def test_a_shared_backends_invalidation_is_seen_at_once(redis_cache):
    here = Memoized(redis_cache, shared=True)
    loader, _ = counting({"n": 1})
    assert here.fetch_decoded("realm:1", 60, loader, decode) == ("decoded", 1)
    # Another process changes the realm and evicts the shared entry.
    redis_cache.delete("realm:1")
    newer, _ = counting({"n": 2})
    assert here.fetch_decoded("realm:1", 60, newer, decode) == ("decoded", 2)


def test_a_shared_value_is_decoded_again_only_when_it_changed(redis_cache):
    here = Memoized(redis_cache, shared=True)
    counting_decode, decoded = counting_decoder()
    loader, calls = counting({"n": 1})
    first = here.fetch_decoded("realm:1", 60, loader, counting_decode)
    assert here.fetch_decoded("realm:1", 60, loader, counting_decode) is first
    assert (len(calls), len(decoded)) == (1, 1)
    redis_cache.delete("realm:1")
    here.fetch_decoded("realm:1", 60, lambda: {"n": 3}, counting_decode)
    assert len(decoded) == 2


def test_the_memo_never_outlives_the_entrys_ttl():
    ticks = Ticks()
    cache = Memoized(MemoryCache("t", b"h" * 32, clock=ticks), shared=False, clock=ticks)
    loader, calls = counting({"n": 1})
    cache.fetch_decoded("k:1", 5, loader, decode)
    ticks.now += 4.9
    cache.fetch_decoded("k:1", 5, loader, decode)
    assert len(calls) == 1
    ticks.now += 0.2
    cache.fetch_decoded("k:1", 5, loader, decode)
    assert len(calls) == 2


def test_a_full_memo_drops_expired_entries_first():
    ticks = Ticks()
    backend = MemoryCache("t", b"h" * 32, clock=ticks)
    cache = Memoized(backend, shared=False, max_entries=2, clock=ticks)
    loader, calls = counting({"n": 1})
    cache.fetch_decoded("k:old", 1, loader, decode)
    ticks.now += 2
    cache.fetch_decoded("k:a", 60, loader, decode)
    cache.fetch_decoded("k:b", 60, loader, decode)  # evicts only k:old
    cache.fetch_decoded("k:a", 60, loader, decode)
    assert len(calls) == 3
    assert len(cache._memo) == 2


def test_fetch_decoded_without_a_memo_decodes_each_time():
    cache = MemoryCache("t", b"h" * 32)
    loader, calls = counting({"n": 3})
    assert fetch_decoded(cache, "k:1", 60, loader, decode) == ("decoded", 3)
    assert fetch_decoded(cache, "k:1", 60, loader, decode) == ("decoded", 3)
    assert len(calls) == 1
    assert fetch_decoded(cache, "k:2", 60, lambda: None, decode) is None


def test_backend_helpers_stay_reachable():
    inner = MemoryCache("t", b"h" * 32)
    cache = Memoized(inner, shared=False)
    cache.fetch("k:1", 60, lambda: 1)
    assert cache.keys() == inner.keys() and len(cache.keys()) == 1


def test_values_checked_on_use_are_trusted_without_asking_a_shared_backend(
    redis_cache,
):
    here = Memoized(redis_cache, shared=True)
    loader, _ = counting({"n": 1})
    first = here.fetch_decoded("apikey:x", 60, loader, decode, checked_on_use=True)
    # Evicted in Redis by someone else: the caller's own check (an API key's
    # version against the database) is what catches a change, not the cache.
    redis_cache.delete("apikey:x")
    newer, calls = counting({"n": 2})
    again = here.fetch_decoded("apikey:x", 60, newer, decode, checked_on_use=True)
    assert again is first and calls == []
    here.delete("apikey:x")  # what the caller does when its check fails
    assert here.fetch_decoded("apikey:x", 60, newer, decode, True) == ("decoded", 2)
