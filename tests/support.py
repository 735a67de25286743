"""Helpers shared by tests (not fixtures)."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager

# A fixed KEK so every worker's template database decrypts the same way.
TEST_KEK = base64.b64encode(b"k" * 32).decode()


def make_env(**overrides: str) -> dict[str, str]:
    """Return an environment mapping for ``Settings.from_env`` in tests."""
    env = {
        "ENCV_KEK": TEST_KEK,
        "ENCV_DATA_DIR": "/tmp/encv-test-data",
        "RATE_LIMIT_TYPE": "noop",
        # The server surface refuses to start without it outside dev mode.
        "SERVER_ENDPOINT": "https://encv.test",
    }
    env.update(overrides)
    return env


def with_dbname(dsn: str, dbname: str) -> str:
    """Return ``dsn`` pointing at database ``dbname``."""
    parts = urllib.parse.urlsplit(dsn)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{dbname}"))


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0) -> None:
    """Wait until ``url`` answers (any status) or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


@contextmanager
def gunicorn(
    app_spec: str, env: dict[str, str], workers: int = 2, port: int | None = None
):
    """Run ``app_spec`` under gunicorn on ``port`` (or a free one); yield its URL."""
    port = port or free_port()
    full_env = {**os.environ, **env}
    # A file, not a pipe: nobody reads gunicorn's log while it runs, and a
    # full pipe would block every worker at its next log line.
    errors = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "python:encv.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            app_spec,
        ],
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_http(base + "/health")
        except TimeoutError:
            proc.kill()
            proc.wait(timeout=15)
            errors.seek(0)
            raise RuntimeError(errors.read().decode()[-3000:]) from None
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        errors.close()


def vectors(name: str) -> list[dict]:
    """Return the entries of one test-vector group from tests/data/vectors.json."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "data" / "vectors.json").read_text())
    return data[name]["entries"]
