"""`encv up`: the whole system on one machine, on embedded defaults."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from encv.relog import pump
from encv.scrape import (
    DAGSTER_METRICS_OFFSET,
    METRICS_OFFSET,
    metrics_dir,
    serve_directory,
    with_metrics,
)
from encv.wiring import (
    STANDIN_OFFSET,
    SURFACE_OFFSETS,
    child_env,
    demo_credentials,
    gunicorn_argv,
    load_settings,
    local_server_endpoint,
    prepare_database,
    print_demo,
    with_database,
)

log = logging.getLogger("encv.up")

DAGSTER_YAML = """\
storage:
  postgres:
    postgres_url:
      env: DAGSTER_PG_URL
telemetry:
  enabled: false
"""


def dagster_url(database_url: str) -> str:
    """Return a psycopg2 SQLAlchemy URL for Dagster's own database.

    SQLAlchemy 2.1 maps plain ``postgresql://`` to psycopg 3, which breaks
    dagster-postgres (toolchain.md), so the driver is named explicitly.
    """
    parts = urllib.parse.urlsplit(database_url)
    return urllib.parse.urlunsplit(
        ("postgresql+psycopg2", parts.netloc, "/encv_dagster", parts.query, "")
    )


def ensure_dagster_database(database_url: str) -> str:
    """Create the ``encv_dagster`` database beside ours; return Dagster's URL."""
    from db.pool import connect

    with connect(database_url) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'encv_dagster'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE DATABASE encv_dagster")
    return dagster_url(database_url)


class Stack:
    """Child processes of `encv up`, each in its own process group."""

    def __init__(self):
        self.children: list[tuple[str, subprocess.Popen]] = []

    def spawn(
        self, name: str, argv: list[str], env: dict, log_dir: Path, *, relog=True
    ) -> None:
        """Start a child whose output goes to ``log_dir/name.log`` as JSON lines.

        Our processes already log JSON; anything else they print (Dagster's
        own format, a warning, a traceback) is wrapped into JSON on the way.
        """
        out = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed with the child
        proc = subprocess.Popen(
            argv,
            env=env,
            stdout=subprocess.PIPE if relog else out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if relog:
            pump(proc.stdout, out, name)
        self.children.append((name, proc))
        log.info("started %s (pid %s)", name, proc.pid)

    def dead(self) -> list[str]:
        """Return the names of children that have exited."""
        return [name for name, proc in self.children if proc.poll() is not None]

    def stop(self, grace: float = 15.0) -> None:
        """Terminate every child's process group; kill what outlives ``grace``."""
        for _, proc in self.children:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for name, proc in self.children:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in time; killing it", name)
            # Kill the whole group: gunicorn workers or Dagster's code
            # servers may linger after their parent exits.
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()


def wait_ready(urls: dict[str, str], stack: Stack, timeout: float = 180.0) -> None:
    """Poll every URL until it answers 200; fail if a child dies first."""
    pending = dict(urls)
    deadline = time.monotonic() + timeout
    while pending:
        if stack.dead():
            raise RuntimeError(
                f"child exited during start-up: {', '.join(stack.dead())}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(pending)}")
        for name, url in list(pending.items()):
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310
                    if resp.status == 200:
                        del pending[name]
                        log.info("%s is ready", name)
            except OSError:
                pass
        time.sleep(0.5)


def run_up(args) -> int:
    """Bring everything up, write stack.json, and wait for Ctrl-C."""
    settings = load_settings()
    port_base = args.port_base or settings.port_base
    dagster_port = args.dagster_port or settings.dagster_port
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    log_dir = data_dir / "logs"
    log_dir.mkdir(exist_ok=True)

    pg_server = None
    if settings.database_url:
        url = settings.database_url.value
    else:
        from encv.embedded import start_postgres

        pg_server = start_postgres(data_dir, stop_on_exit=True)
        url = pg_server.get_uri()
        log.info("using the embedded PostgreSQL in %s", data_dir / "pgdata")
    if not settings.redis_url:
        log.info(
            "REDIS_URL not set: each process uses an in-process cache and rate "
            "limiter (fine for one host)"
        )

    stack = Stack()
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        changes = prepare_database(settings, url)
        if changes:
            log.info("database prepared: %s", ", ".join(changes))
        from db.pool import connect
        from db.queries.realms.core import get_realm_by_name
        from models.realms.bootstrap import DEMO_REALM

        with connect(url) as conn:
            fresh = get_realm_by_name(conn, DEMO_REALM) is None
        if fresh:
            print(
                "Created the demo realm (shown once; `encv bootstrap --demo` "
                "refreshes):"
            )
            print_demo(demo_credentials(with_database(settings, url)))

        env = child_env(settings, url)
        env["DEV_MODE"] = env.get("DEV_MODE", "true")
        dagster_home = data_dir / "dagster"
        dagster_home.mkdir(exist_ok=True)
        (dagster_home / "dagster.yaml").write_text(DAGSTER_YAML)
        env["DAGSTER_HOME"] = str(dagster_home)
        env["DAGSTER_PG_URL"] = ensure_dagster_database(url)
        base = {
            name: f"http://127.0.0.1:{port_base + off}"
            for name, off in SURFACE_OFFSETS.items()
        }
        # Links in account mails point here, never at a request's Host header.
        local_server_endpoint(env, port_base)
        env.setdefault("ENCV_E2E_APISERVER_URL", base["apiserver"])
        env.setdefault("ENCV_E2E_ADMINAPI_URL", base["adminapi"])
        env.setdefault("ENCV_E2E_REDIRECT_URL", base["enx-redirect"])
        # Let the demo realm's association files, SMS links and user-report
        # web view answer on this machine (see the README's curl commands).
        env.setdefault("ENX_REDIRECT_DOMAIN", "localhost")
        # The e2e realm's region answers for the prober's redirect round.
        env.setdefault("ENCV_E2E_REDIRECT_HOST", "e2e-test.localhost")
        env.setdefault(
            "HOSTNAME_TO_REGION",
            "us-demo.localhost:US-DEMO,e2e-test.localhost:E2E-TEST",
        )
        standin = None
        if not env.get("ENCV_KEY_SERVER_URL"):
            # No key server: start the stand-in so the e2e probes run green.
            standin = f"http://127.0.0.1:{port_base + STANDIN_OFFSET}"
            env["ENCV_KEY_SERVER_URL"] = standin
            stack.spawn(
                "key-server-standin",
                gunicorn_argv("key-server-standin", standin[len("http://") :], 1),
                env,
                log_dir,
            )

        metrics = {}
        for surface, offset in SURFACE_OFFSETS.items():
            bind = f"127.0.0.1:{port_base + offset}"
            scrape_port = port_base + METRICS_OFFSET + offset
            stack.spawn(
                surface,
                gunicorn_argv(surface, bind, args.workers),
                with_metrics(env, data_dir, surface, scrape_port),
                log_dir,
            )
            metrics[surface.replace("-", "_")] = (
                f"http://127.0.0.1:{scrape_port}/metrics"
            )
        dagster_dir = metrics_dir(data_dir, "dagster")
        metrics["dagster"] = serve_directory(
            dagster_dir, port_base + DAGSTER_METRICS_OFFSET
        )
        dagster_env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(dagster_dir)}
        bin_dir = Path(sys.executable).parent
        stack.spawn(
            "dagster-webserver",
            [
                str(bin_dir / "dagster-webserver"),
                "-h",
                "127.0.0.1",
                "-p",
                str(dagster_port),
                "-m",
                "orchestration.definitions",
            ],
            dagster_env,
            log_dir,
        )
        stack.spawn(
            "dagster-daemon",
            [str(bin_dir / "dagster-daemon"), "run", "-m", "orchestration.definitions"],
            dagster_env,
            log_dir,
        )

        dagster = f"http://127.0.0.1:{dagster_port}"
        checks = {name: f"{u}/health" for name, u in base.items()}
        checks["dagster"] = f"{dagster}/server_info"
        if standin:
            checks["key-server-standin"] = f"{standin}/health"
        wait_ready(checks, stack)
        stack_info = {
            "server": base["server"],
            "apiserver": base["apiserver"],
            "adminapi": base["adminapi"],
            "enx_redirect": base["enx-redirect"],
            "dagster": dagster,
            "database_url": url,
        }
        if standin:
            stack_info["key_server_standin"] = standin
        stack_info["metrics"] = metrics
        (data_dir / "stack.json").write_text(json.dumps(stack_info, indent=2) + "\n")
        print("encv is up:")
        for name, value in stack_info.items():
            if name not in ("database_url", "metrics"):
                print(f"  {name:13s} {value}")
        print("  metrics       " + ", ".join(f"{k} {v}" for k, v in metrics.items()))
        print(f"  logs          {log_dir}\nPress Ctrl-C to stop.", flush=True)
        while not stopping:
            if stack.dead():
                log.error("child exited: %s; stopping", ", ".join(stack.dead()))
                return 1
            time.sleep(0.5)
        return 0
    except RuntimeError as ex:
        log.error("%s (see %s)", ex, log_dir)
        return 1
    finally:
        log.info("stopping")
        stack.stop()
        (data_dir / "stack.json").unlink(missing_ok=True)
        if pg_server is not None:
            pg_server.cleanup()
        log.info("stopped")
