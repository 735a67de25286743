"""Turn a child's plain log lines into JSON lines (Dagster's own processes).

``dagster-webserver`` and ``dagster-daemon`` log in Dagster's text format,
which encv does not configure. `encv up` pipes their output through
:func:`pump`, so every file under ``logs/`` holds one JSON object per line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from typing import BinaryIO

# "2026-11-29 18:00:00 +0000 - dagster.daemon.SchedulerDaemon - INFO - text"
_DAGSTER = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?: [+-]\d{4})?) - (?P<logger>\S+)"
    r" - (?P<level>[A-Z]+) - (?P<message>.*)$"
)


def to_json(line: str, process: str) -> str:
    """Return ``line`` as a JSON log entry (fields parsed when recognised)."""
    line = line.rstrip("\r\n")
    if line.startswith("{"):
        try:
            json.loads(line)
            return line  # already one of ours
        except ValueError:
            pass
    entry = {"process": process}
    match = _DAGSTER.match(line)
    if match:
        entry.update(match.groupdict())
    else:
        entry.update(
            time=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            level="INFO",
            logger=process,
            message=line,
        )
    return json.dumps(entry, ensure_ascii=False)


def pump(source: BinaryIO, sink: BinaryIO, process: str) -> threading.Thread:
    """Copy ``source`` to ``sink`` as JSON lines on a daemon thread."""

    def run() -> None:
        with source, sink:
            for raw in iter(source.readline, b""):
                text = raw.decode("utf-8", "replace")
                sink.write((to_json(text, process) + "\n").encode())
                sink.flush()

    thread = threading.Thread(target=run, name=f"relog-{process}", daemon=True)
    thread.start()
    return thread
