"""Sequential exchanges (or issues) against the apps called as WSGI, for profiling.

Usage: ``python -m bench.inproc [--kind issue] [--exchanges N] [--profile FILE]``.

No HTTP server and no load generator: the apiserver and adminapi apps are
built in this process from the same factories gunicorn uses, the database is
a private embedded PostgreSQL (or ``--database-url``), and each exchange is a
``/api/verify`` then a ``/api/certificate`` call made one after another. The
figures are this process's CPU time and the database's CPU time per exchange,
so two commits can be compared side by side on a busy machine. ``--profile``
writes a cProfile (CPU timer) of the measured exchanges.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench import procstat, stack
from bench.loadgen import TEK_HMAC


def _environ(method: str, path: str, key: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_API_KEY": key,
        "HTTP_USER_AGENT": "bench-inproc",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def call(app, path: str, key: str, payload: dict) -> dict:
    """POST ``payload`` to ``app`` as WSGI; return the decoded JSON (200 only)."""
    status: list[str] = []
    body = json.dumps(payload).encode()
    chunks = app(
        _environ("POST", path, key, body), lambda s, h, e=None: status.append(s)
    )
    data = b"".join(chunks)
    if not status[0].startswith("200"):
        raise RuntimeError(f"{path}: {status[0]} {data[:300]!r}")
    return json.loads(data)


def pg_ticks(pg: stack.PgWatch) -> int:
    """Return the CPU ticks of every process of the bench database's server."""
    stats = procstat.all_stats()
    excluded = pg.excluded()
    tree = procstat.tree(pg.postmaster, stats)
    return sum(s.ticks for p, s in tree.items() if p not in excluded)


def run(args) -> dict:
    """Issue codes, then time ``args.exchanges`` sequential exchanges."""
    work = Path(tempfile.mkdtemp(prefix="encv-inproc-"))
    with stack.postgres(work, args.database_url) as dsn:
        env = stack.surface_env(dsn, work)
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        creds = stack.bootstrap(env)
        if args.setup_sql:
            import psycopg

            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(args.setup_sql)
        os.environ.clear()
        os.environ.update(env)
        from api.admin.app import get_app as admin_app
        from api.device.app import get_app as device_app

        admin, device = admin_app(), device_app()
        codes: list[str] = []
        total = args.exchanges + args.warmup
        while len(codes) < total:
            answer = call(
                admin,
                "/api/batch-issue",
                creds["admin_api_key"],
                {"codes": [{"testType": "confirmed"}] * 10},
            )
            codes += [c["code"] for c in answer["codes"]]
        if args.analyse:
            import psycopg

            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("ANALYZE")
        key = creds["device_api_key"]

        def exchange(code: str) -> None:
            token = call(device, "/api/verify", key, {"code": code})["token"]
            call(
                device, "/api/certificate", key, {"token": token, "ekeyhmac": TEK_HMAC}
            )

        def issue(_code: str) -> None:
            call(admin, "/api/issue", creds["admin_api_key"], {"testType": "confirmed"})

        operation = exchange if args.kind == "exchange" else issue
        for code in codes[: args.warmup]:
            operation(code)
        measured = codes[args.warmup : total]
        pg = stack.PgWatch(dsn)
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        pg_before, cpu_before, wall = (
            pg_ticks(pg),
            time.process_time(),
            time.perf_counter(),
        )
        if profiler:
            profiler.enable()
        for code in measured:
            operation(code)
        if profiler:
            profiler.disable()
        cpu = time.process_time() - cpu_before
        wall = time.perf_counter() - wall
        pg_cpu = (pg_ticks(pg) - pg_before) / os.sysconf("SC_CLK_TCK")
        if profiler:
            profiler.dump_stats(args.profile)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(45)
            Path(args.profile).with_suffix(".txt").write_text(out.getvalue())
        time.sleep(1.2)  # backends flush their table counters about once a second
        updates = {
            name: {"updates": upd, "hot": hot}
            for name, upd, hot in pg.query(
                "SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                " WHERE relname IN ('verification_codes', 'tokens', 'realm_stats',"
                " 'authorized_app_stats') ORDER BY relname"
            )
        }
        n = len(measured)
        return {
            "kind": args.kind,
            "operations": n,
            "app_ms_per_op": round(cpu / n * 1000, 3),
            "postgresql_ms_per_op": round(pg_cpu / n * 1000, 3),
            "wall_ms": round(wall / n * 1000, 3),
            "profiled": bool(profiler),
            "row_updates": updates,
        }


def main(argv: list[str] | None = None) -> int:
    """Print the per-exchange figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=("exchange", "issue"), default="exchange")
    parser.add_argument("--exchanges", type=int, default=1500, help="operations")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--analyse", action="store_true", help="ANALYZE first")
    parser.add_argument("--profile", default="", help="write a cProfile here")
    parser.add_argument(
        "--setup-sql", default="", help="experiment: SQL run after bootstrap"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "")
    )
    print(json.dumps(run(parser.parse_args(argv))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
