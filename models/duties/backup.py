"""Database backup with pg_dump into a local directory (operations §8).

The original asked Cloud SQL for an export; a self-hosted encv dumps the
database itself, keeps the newest N files, and checks that each dump is
complete before it counts.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

PREFIX = "encv-"
SUFFIX = ".sql"
# pg_dump writes this line last; a dump without it was cut short.
COMPLETE_MARK = b"-- PostgreSQL database dump complete"
TIMEOUT = 600.0  # BACKUP_TIMEOUT, seconds


class BackupError(RuntimeError):
    """The dump could not be made or is incomplete."""


def _major(binary: str) -> int:
    out = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def pg_dump_candidates() -> list[str]:
    """Return pg_dump binaries found: PATH first, then the embedded server's."""
    found = [shutil.which("pg_dump")]
    try:
        import pgserver

        found.append(str(Path(pgserver.__file__).parent / "pginstall/bin/pg_dump"))
    except ImportError:  # the embedded server is optional
        pass
    return [path for path in found if path and Path(path).exists()]


def choose_pg_dump(server_major: int) -> str:
    """Pick a pg_dump at least as new as the server (older ones refuse)."""
    for binary in pg_dump_candidates():
        if _major(binary) >= server_major:
            return binary
    raise BackupError(f"no pg_dump of version >= {server_major} found")


def backup(
    database_url: str,
    backup_dir: str | Path,
    *,
    keep: int,
    now: dt.datetime,
    server_major: int,
) -> tuple[Path, int, list[Path]]:
    """Dump the database; return (file, size in bytes, files pruned)."""
    directory = Path(backup_dir)
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"
    partial = final.with_suffix(".partial")
    result = subprocess.run(
        [
            choose_pg_dump(server_major),
            "--format=plain",
            "--no-owner",
            f"--file={partial}",
            f"--dbname={database_url}",
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[-500:]}")
    verify(partial)
    partial.replace(final)
    return final, final.stat().st_size, prune(directory, keep)


def verify(path: Path) -> None:
    """Raise BackupError unless ``path`` ends with pg_dump's completion mark."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 512))
        tail = handle.read()
    if COMPLETE_MARK not in tail:
        raise BackupError(f"{path.name} is incomplete")


def prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return what was deleted."""
    backups = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    doomed = backups[:-keep] if keep > 0 else backups
    for path in doomed:
        path.unlink()
    return doomed
