"""The Dockerfile, read as text (no container engine here), and its entrypoint run for real."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.support import free_port, make_env, wait_http, with_dbname

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "docker-entrypoint.sh"
BIN = str(Path(sys.executable).parent)


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


def test_multi_stage_on_a_pinned_slim_python_311():
    stages = _stages()
    assert len(stages) >= 2
    for stage in stages:
        image = stage[0][1].split()[0]
        assert re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?", image), image
    assert "latest" not in (ROOT / "Dockerfile").read_text().lower()


def test_final_stage_has_no_build_tools_runs_non_root_and_checks_health():
    final = _stages()[-1]
    text = " ".join(args for _, args in final)
    assert not re.search(r"build-essential|\bgcc\b|apt-get install", text)
    assert any(kw == "COPY" and args.startswith("--from=builder") for kw, args in final)
    [user] = [args for kw, args in final if kw == "USER"]
    assert user.split(":")[0] not in ("root", "0")
    users = [i for i, (kw, _) in enumerate(final) if kw == "USER"]
    runs = [i for i, (kw, _) in enumerate(final) if kw == "RUN"]
    assert max(runs) < users[0], "nothing may RUN as root after USER"
    [health] = [args for kw, args in final if kw == "HEALTHCHECK"]
    assert "healthcheck" in health
    [entry] = [args for kw, args in final if kw == "ENTRYPOINT"]
    assert entry == '["/app/docker-entrypoint.sh"]'


def test_every_copied_path_exists_and_the_context_skips_local_state():
    for stage in _stages():
        for kw, args in stage:
            if kw == "COPY" and not args.startswith("--from"):
                *sources, _ = [a for a in args.split() if not a.startswith("--")]
                for source in sources:
                    assert (ROOT / source).exists(), source
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".encv", "tests"} <= set(ignored)


def _entrypoint(*args: str, env: dict | None = None, timeout: float = 120):
    full_env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": "/tmp", **(env or {})}
    return subprocess.run(
        ["sh", str(ENTRYPOINT), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_entrypoint_is_posix_sh():
    assert subprocess.run(["dash", "-n", str(ENTRYPOINT)]).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frobnicate"], "unknown command 'frobnicate'"),
        ([], "usage:"),
        (["serve"], "serve needs exactly one SURFACE"),
        (["job"], "job needs exactly one NAME"),
        (["daemon"], "DAGSTER_HOME must be set"),
    ],
)
def test_entrypoint_refuses_bad_commands_with_a_clear_message(args, message):
    result = _entrypoint(*args)
    assert result.returncode == 64
    assert message in result.stderr


def test_entrypoint_passes_dagster_commands_through():
    # Dagster's Helm chart and the K8sRunLauncher start `dagster ...` as args.
    result = _entrypoint("dagster", "--version")
    assert result.returncode == 0 and "dagster" in result.stdout.lower()


def test_entrypoint_migrate_builds_the_schema_of_an_empty_database(
    pg_server_dsn, tmp_path
):
    name = f"encv_entry_{os.getpid()}"
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_dbname(pg_server_dsn, name)
    env = {**make_env(ENCV_DATA_DIR=str(tmp_path)), "DATABASE_URL": url}
    try:
        first = _entrypoint("migrate", env=env)
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith("migrate: 0001")
        again = _entrypoint("migrate", env=env)
        assert again.stdout.strip() == "migrate: nothing to do"
        with psycopg.connect(url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE tablename = 'verification_codes'"
            ).fetchone()[0]
        assert tables == 1
    finally:
        with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_entrypoint_serves_a_surface_and_its_healthcheck_sees_it(fresh_db, tmp_path):
    port = free_port()
    env = {
        "PATH": f"{BIN}:/usr/bin:/bin",
        **make_env(ENCV_DATA_DIR=str(tmp_path)),
        "DATABASE_URL": fresh_db,
        "ENCV_BIND": f"127.0.0.1:{port}",
        "ENCV_WORKERS": "1",
        "ENCV_LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        ["sh", str(ENTRYPOINT), "serve", "apiserver"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/health", timeout=60)
        healthy = _entrypoint("healthcheck", env={"PORT": str(port)})
        assert healthy.returncode == 0, healthy.stderr
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
    down = _entrypoint("healthcheck", env={"PORT": str(port)})
    assert down.returncode != 0
