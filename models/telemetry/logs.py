"""Structured logs: one JSON object per line, with request and realm ids.

The request id lives in a context variable set by the request middleware (or
by a Dagster run), so every log line of a request carries it without being
passed around, and outbound clients send it on as ``X-Request-ID``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import sys

request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default=""
)
realm_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "realm_id", default=None
)
route: contextvars.ContextVar[str] = contextvars.ContextVar("route", default="")

# LogRecord attributes that are not "extra" fields of a call.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """Format records as JSON lines: time, level, logger, message, context."""

    def __init__(self, process: str = ""):
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one JSON object (no newlines inside)."""
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if self.process:
            entry["process"] = self.process
        for key, var in (("request_id", request_id), ("route", route)):
            value = var.get()
            if value:
                entry[key] = value
        if realm_id.get() is not None:
            entry["realm_id"] = realm_id.get()
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(
    process: str, fmt: str = "", level: str = "INFO", *, if_unset: bool = False
) -> None:
    """Send every log record to stderr as JSON (or text for a terminal).

    ``fmt`` is ``json`` or ``text``; empty chooses text when stderr is a
    terminal and JSON otherwise (log files, collectors). With ``if_unset``
    nothing changes when the host process already configured logging (a
    Dagster run inside another program, or a test runner).
    """
    root = logging.getLogger()
    if if_unset and root.handlers:
        return
    fmt = (fmt or ("text" if sys.stderr.isatty() else "json")).lower()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter(TEXT_FORMAT) if fmt == "text" else JsonFormatter(process)
    )
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


def configure_from(environ, process: str, *, if_unset: bool = False) -> None:
    """Configure logging from ``ENCV_LOG_FORMAT`` and ``ENCV_LOG_LEVEL``."""
    configure(
        process,
        environ.get("ENCV_LOG_FORMAT", ""),
        environ.get("ENCV_LOG_LEVEL", "INFO"),
        if_unset=if_unset,
    )


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the current request id to a called service."""
    rid = request_id.get()
    return {"X-Request-ID": rid} if rid else {}
