"""Full code -> token -> certificate exchanges through gunicorn, against the
trivial-endpoint ceiling on the same gunicorn setup.

Usage: ``python -m bench.exchange.run [--clients 32] [--duration 10]``.
Needs PostgreSQL (``DATABASE_URL`` or 127.0.0.1:5432); Redis is used for the
cache only if ``REDIS_URL`` is set, as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import os
import statistics
import tempfile
import time
import urllib.parse
import uuid
from contextlib import contextmanager

import psycopg

from bench.exchange import client
from db.crypto import Envelope
from db.keystore import PostgresKeyStore
from db.migrate import migrate
from db.queries.realms.core import insert_realm
from db.secrets import SecretStore
from models.codes.core import NewCode, insert_code
from models.keys.system import ensure_all
from models.realms.apikeys import KeyType, create_api_key
from models.secrets import Secrets

KEK = base64.b64encode(b"b" * 32).decode()


def _with_db(dsn: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(dsn)._replace(path=f"/{name}"))


@contextmanager
def bench_database():
    """Create a throw-away migrated database; drop it afterwards."""
    server = os.environ.get(
        "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"encv_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(server, name)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(dsn: str, codes: int, async_commit: bool = False) -> tuple[str, list]:
    """Migrate, create keys, a realm, a DEVICE key and ``codes`` codes."""
    envelope = Envelope(base64.b64decode(KEK))
    with psycopg.connect(dsn, autocommit=True) as conn:
        if async_commit:
            # Diagnosis only: shows how much of the time is WAL flushing.
            dbname = conn.info.dbname
            conn.execute(f'ALTER DATABASE "{dbname}" SET synchronous_commit = off')
        migrate(conn)
        store = SecretStore(envelope)
        ensure_all(conn, PostgresKeyStore(envelope), store, "v1")
        secrets = Secrets(store)
        with conn.transaction():
            realm_id = insert_realm(conn, "Bench Realm")
            key, _ = create_api_key(
                conn, secrets, realm_id=realm_id, name="bench", key_type=KeyType.DEVICE
            )
            new = NewCode(realm_id, "confirmed", None, None, 8, 16, 3600, 3600)
            now = dt.datetime.now(dt.UTC)
            plain = [insert_code(conn, secrets, new, now).code for _ in range(codes)]
        # A live table has planner statistics; a freshly filled one is planned
        # as empty, and the code lookup then scans the whole realm (9 ms at
        # 20,000 codes instead of 0.06 ms).
        conn.execute("ANALYZE")
    return key, plain


def percentiles(samples: list[float]) -> dict:
    """Return p50/p95/p99 in milliseconds."""
    if len(samples) < 2:
        return {"p50": None, "p95": None, "p99": None}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {
        "p50": round(cuts[49] * 1000, 2),
        "p95": round(cuts[94] * 1000, 2),
        "p99": round(cuts[98] * 1000, 2),
    }


def measure(app: str, env: dict, task_factory, clients, warmup, duration, workers):
    """Start ``app`` under gunicorn and drive it; return (recorder, seconds)."""
    from tests.support import gunicorn

    with gunicorn(app, env, workers=workers) as base:
        parts = urllib.parse.urlsplit(base)
        make = task_factory(parts.hostname, parts.port)
        return asyncio.run(client.run(make, clients, warmup, duration))


def main(argv=None) -> dict:
    """Run both measurements and return the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--codes", type=int, default=40000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="diagnosis: run the bench database with synchronous_commit=off",
    )
    args = parser.parse_args(argv)
    with bench_database() as dsn:
        started = time.perf_counter()
        api_key, codes = prepare(dsn, args.codes, args.async_commit)
        prepared = time.perf_counter() - started
        env = {
            "DATABASE_URL": dsn,
            "ENCV_KEK": KEK,
            "ENCV_DATA_DIR": os.path.join(tempfile.gettempdir(), "encv-bench"),
            "RATE_LIMIT_TYPE": "noop",
            "ENCV_LOG_LEVEL": "WARNING",
        }
        common = (args.clients, args.warmup, args.duration, args.workers)
        load_before = os.getloadavg()
        trivial, exchange = client.Recorder(), client.Recorder()
        trivial_secs = exchange_secs = 0.0
        # Alternate short rounds so a change in background load hits both
        # measurements alike (the box is shared).
        for _round in range(args.rounds):
            rec, secs = measure(
                "bench.exchange.trivial:get_app()",
                env,
                lambda h, p: lambda d, r: client.drive_trivial(h, p, d, r),
                *common,
            )
            trivial.merge(rec)
            trivial_secs += secs
            rec, secs = measure(
                "api.device.app:get_app()",
                env,
                lambda h, p: (
                    lambda d, r: client.drive_exchanges(h, p, api_key, codes, d, r)
                ),
                *common,
            )
            exchange.merge(rec)
            exchange_secs += secs
        load_after = os.getloadavg()
    trivial_rps = len(trivial.requests) / trivial_secs
    exchanges_ps = len(exchange.exchanges) / exchange_secs
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "clients": args.clients,
        "workers": args.workers,
        "duration_s": args.duration,
        "cpus": os.cpu_count(),
        "redis": bool(os.environ.get("REDIS_URL")),
        "rounds": args.rounds,
        "synchronous_commit": not args.async_commit,
        "load_average_1m": [round(load_before[0], 2), round(load_after[0], 2)],
        "codes_prepared_s": round(prepared, 1),
        "trivial": {
            "requests_per_s": round(trivial_rps, 1),
            "latency_ms": percentiles(trivial.requests),
            "errors": trivial.errors,
        },
        "exchange": {
            "exchanges_per_s": round(exchanges_ps, 1),
            "requests_per_s": round(len(exchange.requests) / exchange_secs, 1),
            "exchange_latency_ms": percentiles(exchange.exchanges),
            "request_latency_ms": percentiles(exchange.requests),
            "errors": exchange.errors,
            "codes_left": len(codes),
        },
        "ratio_exchanges_to_trivial": round(exchanges_ps / trivial_rps, 3),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=2))
