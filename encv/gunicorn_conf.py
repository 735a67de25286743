"""Gunicorn settings shared by every surface (`--config python:encv.gunicorn_conf`).

Metrics: when ``PROMETHEUS_MULTIPROC_DIR`` is set, every worker writes its
samples there; with ``ENCV_METRICS_BIND`` (HOST:PORT) the master serves the
sum of all workers at ``/metrics`` on that separate bind, so scrapes never
compete with (or are exposed to) the surface's public traffic.
"""

import os
import shutil
import sys

# Threads, so that slow or idle clients cannot take a surface offline (a sync
# worker is held by one connection until it finishes), with every socket read
# bounded (encv/workers.py). 64 threads per worker keep /health and normal
# requests answering while 50 clients stall mid-body; the PostgreSQL pool
# (ENCV_DB_POOL_MAX) stays small and requests wait at most
# ENCV_DB_CHECKOUT_TIMEOUT for a connection. Measured in tests/faults and
# bench/reports.
worker_class = "encv.workers.BoundedThreadWorker"
logger_class = "encv.workers.Logger"
threads = int(os.environ.get("ENCV_THREADS", "") or 64)
# No preload: each worker builds its own pool after fork.
preload_app = False
keepalive = 5
timeout = 60
graceful_timeout = 10
accesslog = None
errorlog = "-"
loglevel = "warning"

# Gunicorn's own lines as JSON too, unless a person reads them in a terminal.
_FORMAT = os.environ.get("ENCV_LOG_FORMAT", "") or (
    "text" if sys.stderr.isatty() else "json"
)
if _FORMAT == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "models.telemetry.logs.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        # gunicorn merges this over its defaults key by key: every logger it
        # configures must name our handler.
        "root": {"level": "INFO", "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {
                "level": "WARNING",
                "handlers": ["stderr"],
                "propagate": False,
            },
            "gunicorn.access": {
                "level": "WARNING",
                "handlers": ["stderr"],
                "propagate": False,
            },
        },
    }


def _metrics_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server) -> None:
    """Start from an empty metrics directory (old workers' files are stale)."""
    path = _metrics_dir()
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def when_ready(server) -> None:
    """Serve the workers' summed metrics on ENCV_METRICS_BIND, if set."""
    bind = os.environ.get("ENCV_METRICS_BIND", "")
    if not (bind and _metrics_dir()):
        return
    from prometheus_client import start_http_server

    from models.telemetry.metrics import registry

    host, _, port = bind.rpartition(":")
    start_http_server(int(port), addr=host or "127.0.0.1", registry=registry())
    server.log.info("metrics on http://%s/metrics", bind)


def child_exit(server, worker) -> None:
    """Fold a dead worker's live gauges out of the sums."""
    if _metrics_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
