"""The system under test, started the way `make up` starts it.

Each surface runs from the same gunicorn argv as `encv up`
(:func:`encv.wiring.gunicorn_argv`: the shared ``encv.gunicorn_conf``, the
same worker count, metrics written to a multiprocess directory), against a
private PostgreSQL (the embedded one `make up` uses without DATABASE_URL, in
a fresh data directory) so that every PostgreSQL process on the clock is
ours. The bench talks to the surfaces over HTTP only and reads /proc; it uses
the `encv` command line to migrate and to create the demo realm's keys, so
that code moving inside api/, models/ or db/ does not break it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import psycopg

from bench import procstat

ROOT = Path(__file__).resolve().parent.parent
TRIVIAL_APP = "bench.trivial:get_app()"


KEK = "YmVuY2gtb25seS1rZXktZW5jcnlwdGlvbi1rZXktMzI="  # 32 bytes, bench only


def surface_env(dsn: str, work: Path, log_level: str = "WARNING") -> dict:
    """Return the environment the surfaces run with in every bench tool.

    As `encv up` (dev mode unless DEV_MODE says otherwise), on ``dsn``, with
    rate limiting off so that the work is measured rather than the limiter,
    and without Redis unless a caller adds REDIS_URL.
    """
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "ENCV_KEK": KEK,
        "ENCV_DATA_DIR": str(work / "data"),
        "RATE_LIMIT_TYPE": "noop",
        "ENCV_LOG_LEVEL": log_level,
        "DEV_MODE": os.environ.get("DEV_MODE", "true"),
    }
    env.pop("REDIS_URL", None)
    return env


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers 200; fail early if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}: {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


def with_db(dsn: str, name: str) -> str:
    """Return ``dsn`` pointing at database ``name``."""
    parts = urllib.parse.urlsplit(dsn)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def postgres(work: Path, server_url: str = ""):
    """Yield the DSN of a fresh bench database.

    Without ``server_url``: a private embedded PostgreSQL in ``work``, as
    `make up` runs without DATABASE_URL. With it: a throw-away database on
    that server (other databases' backends are then left off the clock).
    """
    if server_url:
        name = f"encv_bench_{os.getpid()}"
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield with_db(server_url, name)
        finally:
            with psycopg.connect(server_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    from encv.embedded import start_postgres

    shutil.rmtree(work / "pgdata", ignore_errors=True)
    server = start_postgres(work, stop_on_exit=True)
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


class PgWatch:
    """Finds the PostgreSQL processes that work for the bench database."""

    def __init__(self, dsn: str):
        self.conn = psycopg.connect(dsn, autocommit=True)
        own = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        self.own_pid = own
        self.postmaster = procstat.read_stat(own).ppid

    def excluded(self) -> set[int]:
        """Return this watcher's backend and other databases' client backends."""
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'"
            " AND datname IS DISTINCT FROM current_database()"
        ).fetchall()
        return {self.own_pid} | {row[0] for row in rows}

    def query(self, sql: str, params: tuple | None = None) -> list[tuple]:
        """Run one statement on the watcher's connection and return its rows."""
        return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        """Close the watcher's connection."""
        self.conn.close()


class Surface:
    """One gunicorn process group serving an app, as `encv up` starts it."""

    def __init__(self, name: str, app: str, env: dict, workers: int, logs: Path):
        self.name, self.app, self.env, self.workers = name, app, env, workers
        self.logs = logs
        self.proc: subprocess.Popen | None = None
        self.base = ""

    def argv(self, bind: str) -> list[str]:
        """Return `encv up`'s gunicorn argv for this app."""
        from encv.wiring import SURFACES, gunicorn_argv

        if self.app in SURFACES:
            return gunicorn_argv(self.app, bind, self.workers)
        # Not a surface (the trivial app): the apiserver's argv, app swapped.
        argv = gunicorn_argv("apiserver", bind, self.workers)
        spec = SURFACES["apiserver"]
        return [
            self.app if a == spec else a.replace("apiserver", self.name) for a in argv
        ]

    def start(self, metrics: bool = True) -> Surface:
        """Start gunicorn and wait for /health."""
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        directory = self.logs / f"metrics-{self.name}"
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        env = dict(self.env)
        if metrics:
            # As `encv up` (encv.scrape.with_metrics): every surface records.
            env["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
            env["ENCV_METRICS_BIND"] = f"127.0.0.1:{free_port()}"
        log = open(self.logs / f"{self.name}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.argv(f"127.0.0.1:{port}"),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        log.close()
        try:
            wait_http(self.base + "/health", self.proc)
        except (RuntimeError, TimeoutError) as ex:
            self.stop()
            tail = (self.logs / f"{self.name}.log").read_text(errors="replace")
            raise RuntimeError(
                f"{self.name} did not start: {ex}\n{tail[-3000:]}"
            ) from ex
        return self

    def pids(self, stats: dict[int, procstat.Stat]) -> dict[int, procstat.Stat]:
        """Return the master and workers among ``stats``."""
        return procstat.tree(self.proc.pid, stats)

    def worker_pids(self) -> list[int]:
        """Return the pids of the workers (children of the master)."""
        stats = procstat.all_stats()
        return [p for p in self.pids(stats) if p != self.proc.pid]

    def stop(self) -> None:
        """Stop gunicorn (SIGTERM, then SIGKILL after 15 s)."""
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def encv_cli(env: dict, *args: str) -> str:
    """Run the `encv` command line with ``env``; return its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "encv.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"encv {' '.join(args)}: {done.stderr[-2000:]}")
    return done.stdout


def bootstrap(env: dict) -> dict:
    """Migrate and create the demo realm; return its credentials (CLI JSON)."""
    out = encv_cli(env, "bootstrap", "--demo", "--json")
    return json.loads(out.strip().splitlines()[-1])


def start_redis(work: Path) -> tuple[subprocess.Popen, str]:
    """Start a private Redis (as `make up` would use with REDIS_URL)."""
    from encv.embedded import start_redis as start

    return start(work / "redis")


def gunicorn_settings() -> dict:
    """Return the worker class and threads of the shared gunicorn config."""
    sys.path.insert(0, str(ROOT))
    import importlib

    conf = importlib.import_module("encv.gunicorn_conf")
    return {
        "worker_class": getattr(conf, "worker_class", "sync"),
        "threads": getattr(conf, "threads", 1),
        "keepalive_s": getattr(conf, "keepalive", None),
        "extra_args": os.environ.get("GUNICORN_CMD_ARGS", ""),
    }


class Clock:
    """Samples the CPU of the surfaces, PostgreSQL, Redis and the bench itself."""

    def __init__(self, pg: PgWatch):
        self.pg = pg
        self.surfaces: dict[str, Surface] = {}
        self.redis_pid: int | None = None

    def sample(self) -> dict:
        """Return {group: {pid: ticks}} plus this process's CPU seconds."""
        stats = procstat.all_stats()
        excluded = self.pg.excluded()
        pg = procstat.tree(self.pg.postmaster, stats)
        out = {
            "postgresql": {p: s.ticks for p, s in pg.items() if p not in excluded},
            "client": procstat.own_cpu_seconds(),
        }
        for name, surface in self.surfaces.items():
            if surface.proc is not None:
                out[name] = {p: s.ticks for p, s in surface.pids(stats).items()}
        if self.redis_pid:
            out["redis"] = {
                p: s.ticks for p, s in procstat.tree(self.redis_pid, stats).items()
            }
        return out

    @staticmethod
    def delta(before: dict, after: dict) -> dict:
        """Return CPU seconds per group between two samples."""
        out = {"client": after["client"] - before["client"]}
        for group, ticks in after.items():
            if group != "client":
                out[group] = procstat.cpu_delta(before.get(group, {}), ticks)
        return out
