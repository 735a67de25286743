import pytest

from db.pool import SingleConnectionSource
from db.quota import (
    MemoryQuotaStore,
    PostgresQuotaStore,
    RedisQuotaStore,
    quota_key,
)
from tests.support import vectors


@pytest.mark.parametrize("entry", vectors("quota_key"))
def test_quota_key_vector(entry):
    key = bytes.fromhex(entry["rate_limit_hmac_key_hex"])
    assert quota_key(key, entry["realm_id"]) == entry["expected"]


@pytest.fixture(params=["redis", "memory", "postgres"])
def store(request, redis_client, namespace, conn):
    if request.param == "redis":
        return RedisQuotaStore(redis_client, prefix=f"{namespace}:")
    if request.param == "postgres":
        return PostgresQuotaStore(SingleConnectionSource(conn))
    return MemoryQuotaStore()


def test_limit_is_applied_per_take_without_refilling(store):
    assert [store.take("k", 2, 60).allowed for _ in range(3)] == [True, True, False]
    # A bigger limit later in the window counts what was already used.
    raised = store.take("k", 4, 60)
    assert (raised.allowed, raised.remaining) == (True, 0)
    assert not store.take("k", 4, 60).allowed
    assert store.take("other", 1, 60).allowed


def test_window_ends_and_refills():
    now = [1000.0]
    store = MemoryQuotaStore(clock=lambda: now[0])
    assert store.take("k", 1, 10).allowed
    assert not store.take("k", 1, 10).allowed
    now[0] += 10
    decision = store.take("k", 1, 10)
    assert decision.allowed and decision.reset == 1020


def test_postgres_window_restarts_when_it_ended(conn):
    store = PostgresQuotaStore(SingleConnectionSource(conn))
    assert store.take("w", 1, 60).allowed
    assert not store.take("w", 1, 60).allowed
    conn.execute("UPDATE quota_windows SET window_end = now() - interval '1 s'")
    decision = store.take("w", 1, 60)
    assert decision.allowed and decision.remaining == 0
