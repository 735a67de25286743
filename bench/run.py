"""``make bench``: one run of every measurement, kept as JSON and Markdown.

Usage: ``python -m bench.run [--quick]`` (``make bench``, ``make bench
BENCH_QUICK=1``). The run starts a private PostgreSQL and the surfaces as
`make up` does (bench/stack.py), with rate limiting off (RATE_LIMIT_TYPE=noop)
so that the work is measured rather than the limiter, then:

1. the floor: ES256 sign/verify, one insert + commit, one claim statement +
   commit (bench/floor.py), and the trivial Falcon app under the same
   gunicorn settings at each concurrency of the sweep;
2. a burst of codes: the timed 10,000-code batch issue, topped up to 20,000 for
   the next window, with autovacuum held off so nothing analyses the tables;
3. exchanges at the headline concurrency in that state ("fresh"); then
   ANALYZE and the exchange sweep ("analysed");
4. the /api/issue sweep;
5. with Redis as cache backend (REDIS_URL): exchanges and issues again.

Every window records throughput, latency percentiles, server CPU per
operation from /proc (surface processes + every PostgreSQL process + Redis),
the load generator's CPU and the largest worker RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path

from bench import floor, loadgen, procstat, stack, supply
from bench.report import render, write_reports
from bench.stats import latency_ms, per_op_ms, spread

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "bench" / "reports"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Return the run's options; --quick shortens every window."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (~2 min)")
    parser.add_argument("--workers", type=int, default=2, help="as `encv up`")
    parser.add_argument("--clients", type=int, default=32, help="headline clients")
    parser.add_argument("--sweep", default=None, help="default 1,4,32,64")
    parser.add_argument("--duration", type=float, default=None, help="s/window")
    parser.add_argument("--warmup", type=float, default=None)
    parser.add_argument("--batch-codes", type=int, default=None)
    parser.add_argument(
        "--burst",
        type=int,
        default=None,
        help="codes in the table for the fresh window (the timed batch included)",
    )
    parser.add_argument("--floor-statements", type=int, default=None)
    parser.add_argument("--no-redis", action="store_true", help="skip Redis run")
    parser.add_argument(
        "--no-keepalive", action="store_true", help="one connection per request"
    )
    parser.add_argument(
        "--log-level",
        default="WARNING",
        help="ENCV_LOG_LEVEL of the surfaces (INFO writes an access line per request)",
    )
    parser.add_argument(
        "--no-metrics",
        action="store_true",
        help="diagnosis: surfaces without PROMETHEUS_MULTIPROC_DIR (`encv up` sets it)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", ""),
        help="use this PostgreSQL server instead of a private embedded one",
    )
    parser.add_argument("--out", type=Path, default=REPORTS)
    args = parser.parse_args(argv)
    quick = args.quick
    args.sweep = [
        int(c) for c in (args.sweep or ("4,32" if quick else "1,4,32,64")).split(",")
    ]
    if args.clients not in args.sweep:
        args.sweep = sorted({*args.sweep, args.clients})
    args.duration = args.duration or (3.0 if quick else 15.0)
    args.warmup = args.warmup if args.warmup is not None else (1.0 if quick else 2.0)
    args.batch_codes = args.batch_codes or (2000 if quick else 10_000)
    args.burst = max(args.burst or (6000 if quick else 20_000), args.batch_codes)
    args.floor_statements = args.floor_statements or (600 if quick else 3000)
    return args


class Bench:
    """The stack under test and the measured windows of one run."""

    def __init__(self, args, work: Path, dsn: str):
        self.args, self.work, self.dsn = args, work, dsn
        self.pg = stack.PgWatch(dsn)
        self.clock = stack.Clock(self.pg)
        self.env = stack.surface_env(dsn, work, args.log_level)
        self.metrics = not args.no_metrics
        self.redis = ""
        self.codes: list[str] = []
        self.windows: list[dict] = []
        self.last_rate = 0.0

    def start(self, name: str, app: str, env: dict) -> stack.Surface:
        """Start (or restart) one surface and put it on the clock."""
        old = self.clock.surfaces.get(name)
        if old is not None:
            old.stop()
        surface = stack.Surface(name, app, env, self.args.workers, self.work)
        surface.start(metrics=self.metrics)
        self.clock.surfaces[name] = surface
        return surface

    def window(self, name: str, driver, ctx: dict, clients: int, **labels) -> dict:
        """Measure one window on surface ``name``; keep and return its figures."""
        surface = self.clock.surfaces[name]
        workers = surface.worker_pids()
        rss = [0]
        slices: list[tuple[dict, int]] = []

        def tick(rec):
            rss[0] = max([rss[0]] + [procstat.rss_kb(p) for p in workers])
            slices.append((self.clock.sample(), len(rec.latencies)))

        a = self.args
        load = os.getloadavg()[0]
        rec, seconds, before, after = loadgen.run_window(
            surface.base,
            driver,
            {**ctx, "keepalive": not a.no_keepalive},
            clients,
            a.warmup,
            a.duration,
            self.clock.sample,
            self.clock.sample,
            tick,
        )
        cpu = stack.Clock.delta(before, after)
        ops = len(rec.latencies)
        server = _server(cpu, name)
        per_slice = [
            _server(stack.Clock.delta(a[0], b[0]), name) * 1000 / (b[1] - a[1])
            for a, b in zip(slices, slices[1:], strict=False)
            if b[1] > a[1]
        ]
        figures = {
            "kind": driver.__name__,
            "surface": name,
            "clients": clients,
            "redis": bool(self.redis),
            **labels,
            "seconds": round(seconds, 2),
            "operations": ops,
            "requests": rec.requests,
            "errors": rec.errors,
            "last_error": rec.last_error[:300],
            "per_s": round(ops / seconds, 1),
            "requests_per_s": round(rec.requests / seconds, 1),
            "latency_ms": latency_ms(rec.latencies),
            "cpu_ms_per_op": {
                "server": per_op_ms(server, ops),
                "surface": per_op_ms(cpu[name], ops),
                "postgresql": per_op_ms(cpu["postgresql"], ops),
                "redis": per_op_ms(cpu.get("redis", 0.0), ops),
                "load_generator": per_op_ms(cpu["client"], ops),
            },
            # How steady the figure was: server CPU ms/op over 1-s slices.
            "cpu_ms_per_op_slices": spread(per_slice),
            "cpu_ms_per_request": per_op_ms(server, rec.requests),
            "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
            "worker_rss_max_mb": round(rss[0] / 1024, 1),
            "load_average_1m": [round(load, 2), round(os.getloadavg()[0], 2)],
        }
        if driver is loadgen.exchange:
            figures["codes_left"] = len(ctx["codes"])
            self.last_rate = max(ops / seconds, 1.0)
        self.windows.append(figures)
        print(_line(figures), flush=True)
        return figures

    def top_up(self, admin: str, key: str, clients: int, minimum: int = 0) -> None:
        """Issue enough codes for one exchange window at the last rate seen."""
        a = self.args
        want = max(minimum, int(self.last_rate * (a.warmup + a.duration) * 1.5) + 200)
        if clients == 1:
            want = min(want, 4000)
        if len(self.codes) < want:
            self.codes += supply.issue_codes(admin, key, want - len(self.codes))

    def table_stats(self) -> list[dict]:
        """Return planner-statistics state of the most-modified tables."""
        rows = self.pg.query(
            "SELECT s.relname, s.n_live_tup, s.n_mod_since_analyze,"
            " s.last_analyze, s.last_autoanalyze, c.reltuples"
            " FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
            " WHERE s.relname NOT LIKE 'bench_%'"
            " ORDER BY s.n_mod_since_analyze DESC, s.relname LIMIT 4"
        )
        return [
            {
                "table": r[0],
                "live_rows": r[1],
                "modified_since_analyze": r[2],
                "last_analyze": r[3].isoformat() if r[3] else None,
                "last_autoanalyze": r[4].isoformat() if r[4] else None,
                "planner_reltuples": r[5],
            }
            for r in rows
        ]

    def autovacuum(self, enabled: bool) -> None:
        """Hold autovacuum off every table (or hand them back to it)."""
        option = (
            "SET (autovacuum_enabled = off)"
            if not enabled
            else "RESET (autovacuum_enabled)"
        )
        tables = self.pg.query(
            "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables"
        )
        for (table,) in tables:
            self.pg.conn.execute(f"ALTER TABLE {table} {option}")

    def analyse(self) -> None:
        """Give the planner statistics for every table."""
        self.pg.conn.execute("ANALYZE")


def _server(cpu: dict, surface: str) -> float:
    """Return the server CPU seconds of ``surface``: itself, PostgreSQL, Redis."""
    return cpu[surface] + cpu["postgresql"] + cpu.get("redis", 0.0)


def _line(w: dict) -> str:
    lat = w["latency_ms"]
    cpu = w["cpu_ms_per_op"]
    state = w.get("table_state", "")
    return (
        f"{w['kind']:9} c={w['clients']:<3} {state:9} redis={int(w['redis'])}"
        f" {w['per_s']:8.1f}/s p50 {lat['p50']} p99 {lat['p99']} ms"
        f" cpu/op {cpu['server']} ms (surface {cpu['surface']}, pg {cpu['postgresql']})"
        f" rss {w['worker_rss_max_mb']} MB err {w['errors']}"
    )


def measure(args, work: Path, dsn: str) -> dict:
    """Run every phase on the database ``dsn``; return the run's figures."""
    bench = Bench(args, work, dsn)
    env = bench.env
    try:
        creds = stack.bootstrap(env)
        admin_key, device_key = creds["admin_api_key"], creds["device_api_key"]
        bench.autovacuum(False)
        trivial = bench.start("trivial", stack.TRIVIAL_APP, env)
        admin = bench.start("adminapi", "adminapi", env).base
        bench.start("apiserver", "apiserver", env)
        del trivial
        print("floor: statements and ES256", flush=True)
        floors = floor.measure(
            dsn, bench.clock, args.floor_statements, args.floor_statements
        )
        for clients in args.sweep:
            bench.window("trivial", loadgen.trivial, {}, clients)

        print(
            f"burst: {args.burst} codes, {args.batch_codes} of them timed", flush=True
        )
        codes, batch = supply.timed_batch(admin, admin_key, args.batch_codes)
        bench.codes = codes
        # The slow plan's cost grows with the burst, so its size is fixed
        # (not derived from the window) to keep runs comparable.
        bench.codes += supply.issue_codes(
            admin, admin_key, max(0, args.burst - len(bench.codes))
        )
        ctx = {"device_key": device_key, "codes": bench.codes}
        fresh_before = bench.table_stats()
        bench.window(
            "apiserver", loadgen.exchange, ctx, args.clients, table_state="fresh"
        )
        fresh_after = bench.table_stats()

        bench.autovacuum(True)
        for clients in args.sweep:
            bench.top_up(admin, admin_key, clients)
            bench.analyse()
            bench.window(
                "apiserver", loadgen.exchange, ctx, clients, table_state="analysed"
            )
        analysed = bench.table_stats()
        issue_ctx = {"admin_key": admin_key}
        for clients in args.sweep:
            bench.window(
                "adminapi", loadgen.issue, issue_ctx, clients, table_state="analysed"
            )

        if not args.no_redis:
            proc, bench.redis = stack.start_redis(work)
            try:
                bench.clock.redis_pid = proc.pid
                redis_env = {**env, "REDIS_URL": bench.redis}
                admin = bench.start("adminapi", "adminapi", redis_env).base
                bench.start("apiserver", "apiserver", redis_env)
                bench.top_up(admin, admin_key, args.clients)
                bench.analyse()
                bench.window(
                    "apiserver",
                    loadgen.exchange,
                    ctx,
                    args.clients,
                    table_state="analysed",
                )
                bench.window(
                    "adminapi",
                    loadgen.issue,
                    issue_ctx,
                    args.clients,
                    table_state="analysed",
                )
            finally:
                for surface in bench.clock.surfaces.values():
                    surface.stop()
                proc.terminate()
                proc.wait(timeout=10)
        synchronous_commit = bench.pg.query("SHOW synchronous_commit")[0][0]
        server_version = bench.pg.query("SHOW server_version")[0][0]
    finally:
        for surface in bench.clock.surfaces.values():
            surface.stop()
        bench.pg.close()
    return {
        "floor": floors,
        "batch_issue": batch,
        "table_stats": {
            "fresh_before_window": fresh_before,
            "fresh_after_window": fresh_after,
            "analysed_after_sweep": analysed,
        },
        "windows": bench.windows,
        "postgresql": {
            "synchronous_commit": synchronous_commit,
            "version": server_version,
            "where": "server at BENCH_DATABASE_URL"
            if args.database_url
            else "private embedded (pgserver), as `make up` without DATABASE_URL",
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Run the bench, write bench/reports/runs/<stamp>.json and the reports."""
    args = parse_args(argv)
    started = time.monotonic()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    # Per run, so two runs (or a run and `make up`) never share a data dir.
    work = ROOT / ".encv" / "bench" / f"run-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    try:
        with stack.postgres(work, args.database_url) as dsn:
            figures = measure(args, work, dsn)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run = {
        "date": stamp,
        "quick": args.quick,
        "settings": {
            "cpus": os.cpu_count(),
            "workers": args.workers,
            **stack.gunicorn_settings(),
            "rate_limit": "noop (off)",
            "keepalive": not args.no_keepalive,
            "log_level": args.log_level,
            "metrics": not args.no_metrics,
            "clients_headline": args.clients,
            "sweep": args.sweep,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "floor_statements": args.floor_statements,
            "burst_codes": args.burst,
        },
        **figures,
        "load_average": {
            "start": [round(x, 2) for x in load_start],
            "end": [round(x, 2) for x in os.getloadavg()],
        },
        "wall_s": round(time.monotonic() - started, 1),
    }
    paths = write_reports(run, args.out)
    print(render(run))
    print("written: " + ", ".join(str(p) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
