"""Benchmark of code issuance through gunicorn (``python -m bench.issue.run``).

Measures, on a private database cloned from nothing and migrated here:

* ``POST /api/issue`` requests/s and latency percentiles at N concurrent
  clients (wrk), beside a trivial Falcon endpoint on the same gunicorn
  setup (the reference ceiling);
* the wall time of issuing 10,000 codes through ``/api/batch-issue`` in
  batches of the allowed size, one batch after another.

Prints a short table; ``bench/run.py`` stores :func:`render`'s Markdown
under ``bench/reports/``.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.support import gunicorn

ROOT = Path(__file__).resolve().parents[2]
SERVER_DSN = os.environ.get(
    "DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _with_db(dsn: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))


@contextmanager
def bench_database():
    """Create, migrate and seed a private database; drop it afterwards."""
    from db.crypto import Envelope
    from db.keystore import PostgresKeyStore
    from db.migrate import migrate
    from db.queries.realms import core as realm_q
    from db.secrets import SecretStore
    from models.keys.system import ensure_all
    from models.realms.apikeys import KeyType, create_api_key
    from models.secrets import Secrets

    name = f"encv_bench_issue_{os.getpid()}"
    kek = base64.b64encode(os.urandom(32)).decode()
    with psycopg.connect(SERVER_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(SERVER_DSN, name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            migrate(conn)
            envelope = Envelope(base64.b64decode(kek))
            store = SecretStore(envelope)
            ensure_all(conn, PostgresKeyStore(envelope), store, "v1")
            realm_id = realm_q.insert_realm(
                conn,
                "Bench",
                region_code="US-BN",
                allow_bulk_upload=True,
                allowed_test_types=14,
            )
            key, _ = create_api_key(
                conn,
                Secrets(store),
                realm_id=realm_id,
                name="bench",
                key_type=KeyType.ADMIN,
            )
        yield url, kek, key
    finally:
        with psycopg.connect(SERVER_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_LUA = """
wrk.method = "{method}"
wrk.body = '{body}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "{key}"
"""

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, *, clients: int, seconds: int, method: str, body: str, key: str):
    """Run wrk against ``url``; return requests/s, percentiles and errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA.format(method=method, body=body, key=key))
    threads = min(clients, 2)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{clients}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            script.name,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "latency_ms": {f"p{k}": round(_ms(v), 2) for k, v in pct.items()},
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1) if errors else "",
    }


def batch_sequence(base: str, key: str, total: int, size: int) -> dict:
    """Issue ``total`` codes in batches of ``size``, one request after another."""
    body = json.dumps({"codes": [{"testType": "confirmed"}] * size}).encode()
    started = time.perf_counter()
    issued = 0
    for _ in range(total // size):
        request = urllib.request.Request(
            base + "/api/batch-issue",
            data=body,
            headers={"X-API-Key": key, "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as resp:  # noqa: S310
            issued += sum(
                1 for item in json.loads(resp.read())["codes"] if item["code"]
            )
    wall = time.perf_counter() - started
    return {"codes": issued, "batch_size": size, "wall_seconds": round(wall, 2)}


def commit_latency_ms(url: str, commits: int = 100) -> float:
    """Return the mean latency of a one-row INSERT + COMMIT (the disk's floor)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_commit_probe (v int)")
        started = time.perf_counter()
        for _ in range(commits):
            conn.execute("INSERT INTO bench_commit_probe VALUES (1)")
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_commit_probe")
    return round(elapsed / commits * 1000, 2)


def main(argv: list[str] | None = None) -> dict:
    """Run the issuance benchmark and write the report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", default="8,32", help="wrk connection counts")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-codes", type=int, default=10_000)
    parser.add_argument(
        "--gunicorn-args",
        default="",
        help='extra gunicorn flags for both apps, e.g. "--worker-class gthread"',
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    clients = [int(c) for c in args.clients.split(",")]
    report: dict = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "workers": args.workers,
        "gunicorn_args": args.gunicorn_args,
        "seconds": args.seconds,
        "runs": [],
    }
    with bench_database() as (url, kek, key):
        report["commit_latency_ms"] = commit_latency_ms(url)
        env = {
            "DATABASE_URL": url,
            "ENCV_KEK": kek,
            "RATE_LIMIT_TYPE": "noop",
            "ENCV_LOG_LEVEL": "WARNING",
            "ENCV_DATA_DIR": tempfile.mkdtemp(prefix="encv-bench-"),
            # Gunicorn reads these after its config file, for both apps alike.
            "GUNICORN_CMD_ARGS": args.gunicorn_args,
        }
        targets = (
            ("trivial", "bench.exchange.trivial:get_app()", "/ping", "GET", ""),
            (
                "issue",
                "api.admin.app:get_app()",
                "/api/issue",
                "POST",
                json.dumps({"testType": "confirmed"}),
            ),
        )
        for endpoint, app_spec, path, method, body in targets:
            with gunicorn(app_spec, env, workers=args.workers) as base:
                for n in clients:
                    result = wrk(
                        base + path,
                        clients=n,
                        seconds=args.seconds,
                        method=method,
                        body=body,
                        key=key,
                    )
                    report["runs"].append(
                        {"endpoint": endpoint, "clients": n, **result}
                    )
                if endpoint == "issue":
                    report["batch"] = batch_sequence(base, key, args.batch_codes, 10)
    by = {(r["endpoint"], r["clients"]): r for r in report["runs"]}
    report["ratio_issue_to_trivial"] = {
        str(n): round(
            by["issue", n]["requests_per_s"] / by["trivial", n]["requests_per_s"], 3
        )
        for n in clients
    }
    for run in report["runs"]:
        latency = run["latency_ms"]
        print(
            f"{run['endpoint']:8} c={run['clients']:<3}"
            f" {run['requests_per_s']:8.0f} req/s"
            f"  p50 {latency.get('p50')} ms  p99 {latency.get('p99')} ms"
            f"  non-2xx {run['non_2xx']}"
        )
    print("issue/trivial:", report["ratio_issue_to_trivial"])
    batch = report["batch"]
    print(f"batch: {batch['codes']} codes in {batch['wall_seconds']} s")
    return report


def render(report: dict) -> str:
    """Return a short Markdown report of the issuance benchmark."""
    lines = [
        f"# Code issuance benchmark ({report['date']})",
        "",
        f"gunicorn {report['workers']} workers"
        f" {report['gunicorn_args'] or '(sync)'}, {report['cpus']} CPUs shared"
        f" with PostgreSQL and wrk (1-minute load average at start:"
        f" {report['load_average_1m']}); {report['seconds']} s per run. One"
        f" INSERT + COMMIT on one connection took {report['commit_latency_ms']} ms"
        " (the fsync floor every issue pays once).",
        "",
        "| endpoint | clients | requests/s | p50 ms | p90 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in report["runs"]:
        latency = run["latency_ms"]
        lines.append(
            f"| {run['endpoint']} | {run['clients']} | {run['requests_per_s']:.0f}"
            f" | {latency.get('p50')} | {latency.get('p90')} | {latency.get('p99')}"
            f" | {run['non_2xx']} |"
        )
    batch = report["batch"]
    lines += [
        "",
        f"/api/issue over trivial requests/s: {report['ratio_issue_to_trivial']}"
        " (goal 0.30).",
        "",
        f"/api/batch-issue: {batch['codes']} codes in batches of"
        f" {batch['batch_size']}, one after another: {batch['wall_seconds']} s"
        " (goal < 10 s).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
