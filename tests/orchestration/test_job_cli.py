import subprocess
import sys

from tests.support import make_env


def _encv_job(name: str, database_url: str, tmp_path):
    env = {
        **make_env(ENCV_DATA_DIR=str(tmp_path)),
        "DATABASE_URL": database_url,
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "encv.cli", "job", name],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_encv_job_runs_once_and_prints_one_line(fresh_db, tmp_path):
    first = _encv_job("cleanup_job", fresh_db, tmp_path)
    assert first.returncode == 0, first.stderr
    [line] = first.stdout.strip().splitlines()
    assert line.startswith("cleanup_job: succeeded (20 success")
    assert "rows_affected=" in line

    second = _encv_job("cleanup_job", fresh_db, tmp_path)
    assert second.stdout.strip() == (
        "cleanup_job: succeeded (skipped: its run lock is held or it ran too recently)"
    )


def test_unknown_job_lists_the_known_ones(fresh_db, tmp_path):
    out = _encv_job("nope", fresh_db, tmp_path)
    assert out.returncode == 2 and "cleanup_job" in out.stderr
