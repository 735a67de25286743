import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from tests.support import free_port


@pytest.mark.slow
def test_encv_up_serves_everything_and_stops_cleanly(tmp_path):
    data_dir = tmp_path / "encv"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "ENCV_KEK"}
    }
    # Surfaces and stand-in at base..base+4, metrics at base+10..base+14.
    while True:
        base = free_port()
        if base < 60000 and all(_port_free(base + i) for i in range(15)):
            break
    dagster_port = free_port()
    env.update(
        ENCV_DATA_DIR=str(data_dir),
        ENCV_PORT_BASE=str(base),
        ENCV_DAGSTER_PORT=str(dagster_port),
        ENCV_LOG_LEVEL="WARNING",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "encv.cli", "up", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    stack_file = data_dir / "stack.json"
    try:
        deadline = time.monotonic() + 120
        while not stack_file.exists():
            assert proc.poll() is None, proc.stdout.read().decode()[-3000:]
            assert time.monotonic() < deadline, "encv up did not become ready in 120 s"
            time.sleep(0.5)
        stack = json.loads(stack_file.read_text())
        assert set(stack) == {
            "server",
            "apiserver",
            "adminapi",
            "enx_redirect",
            "dagster",
            "database_url",
            "key_server_standin",
            "metrics",
        }
        assert set(stack["metrics"]) == {
            "server",
            "apiserver",
            "adminapi",
            "enx_redirect",
            "dagster",
        }
        assert stack["server"] == f"http://127.0.0.1:{base}"
        assert stack["enx_redirect"] == f"http://127.0.0.1:{base + 3}"
        for name in ("server", "apiserver", "adminapi", "enx_redirect"):
            with urllib.request.urlopen(stack[name] + "/health", timeout=5) as resp:
                assert resp.status == 200
        with urllib.request.urlopen(
            stack["dagster"] + "/server_info", timeout=5
        ) as resp:
            assert resp.status == 200
        for name in ("server", "apiserver", "adminapi", "enx_redirect"):
            with urllib.request.urlopen(stack["metrics"][name], timeout=5) as resp:
                text = resp.read().decode()
            # The /health checks above were counted by that surface's workers.
            assert 'route="/health"' in text, name
        with urllib.request.urlopen(stack["metrics"]["dagster"], timeout=5) as resp:
            assert resp.status == 200
        # The prober runs green against the stack and its key-server stand-in.
        job_env = {
            **env,
            "DATABASE_URL": stack["database_url"],
            "ENCV_KEY_SERVER_URL": stack["key_server_standin"],
            "ENCV_E2E_ADMINAPI_URL": stack["adminapi"],
            "ENCV_E2E_APISERVER_URL": stack["apiserver"],
            "ENCV_E2E_REDIRECT_URL": stack["enx_redirect"],
            "ENCV_E2E_REDIRECT_HOST": "e2e-test.localhost",
            "DEV_MODE": "true",
        }
        for job in ("e2e_default_job", "e2e_enx_redirect_job"):
            ran = subprocess.run(
                [sys.executable, "-m", "encv.cli", "job", job],
                env=job_env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert ran.returncode == 0, ran.stdout + ran.stderr
            assert f"{job}: succeeded" in ran.stdout
        descendants = psutil.Process(proc.pid).children(recursive=True)
        assert len(descendants) >= 6
    finally:
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=60)
    assert rc == 0
    # Every per-process log file is JSON lines (issue 13), Dagster's included.
    logs = sorted((data_dir / "logs").glob("*.log"))
    assert {p.stem for p in logs} >= {
        "server",
        "apiserver",
        "adminapi",
        "enx-redirect",
        "dagster-webserver",
        "dagster-daemon",
    }
    for path in logs:
        for line in path.read_text().splitlines():
            if line.strip():
                assert isinstance(json.loads(line), dict), (path.name, line)
    time.sleep(0.5)
    alive = [
        p for p in descendants if p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    ]
    assert alive == [], [p.cmdline() for p in alive]
    pg = [
        p
        for p in psutil.process_iter(["cmdline"])
        if str(data_dir) in " ".join(p.info["cmdline"] or [])
    ]
    assert pg == []
    for port in range(base, base + 4):
        assert not _listening(port)


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _listening(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_plain_log_lines_are_wrapped_as_json():
    from encv.relog import to_json

    dagster = json.loads(
        to_json(
            "2026-11-29 18:00:00 +0000 - dagster.daemon.SchedulerDaemon - INFO - tick",
            "dagster-daemon",
        )
    )
    assert dagster == {
        "process": "dagster-daemon",
        "time": "2026-11-29 18:00:00 +0000",
        "logger": "dagster.daemon.SchedulerDaemon",
        "level": "INFO",
        "message": "tick",
    }
    raw = json.loads(to_json("Traceback (most recent call last):\n", "server"))
    assert (raw["logger"], raw["message"]) == (
        "server",
        "Traceback (most recent call last):",
    )
    ours = '{"level": "INFO", "message": "x"}'
    assert to_json(ours + "\n", "server") == ours
