import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from tests.support import free_port, make_env, wait_http


@pytest.mark.slow
@pytest.mark.parametrize("surface", ["apiserver", "enx-redirect"])
def test_encv_serve_runs_one_surface_under_gunicorn(fresh_db, tmp_path, surface):
    port = free_port()
    env = {
        **os.environ,
        **make_env(ENCV_DATA_DIR=str(tmp_path)),
        "DATABASE_URL": fresh_db,
        "ENCV_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "encv.cli",
            "serve",
            surface,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/health", timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health") as resp:
            assert resp.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0


def test_serve_rejects_unknown_surfaces():
    result = subprocess.run(
        [sys.executable, "-m", "encv.cli", "serve", "nope"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr
