"""Where `encv up` serves each process's Prometheus metrics.

Every gunicorn master serves its workers' sum on its own metrics port (see
``encv.gunicorn_conf``); Dagster's webserver, daemon and run workers share one
multi-process directory that `encv up` itself serves. Ports sit at
``port base + 10 + the surface's offset``; Dagster's at port base + 14.
"""

from __future__ import annotations

import shutil
from pathlib import Path

METRICS_OFFSET = 10
DAGSTER_METRICS_OFFSET = 14


def metrics_dir(data_dir: Path, process: str) -> Path:
    """The multi-process metrics directory of one process group."""
    return data_dir / "metrics" / process


def with_metrics(env: dict, data_dir: Path, process: str, port: int) -> dict:
    """Return ``env`` for a process group that writes and serves metrics."""
    return {
        **env,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir(data_dir, process)),
        "ENCV_METRICS_BIND": f"127.0.0.1:{port}",
    }


def serve_directory(path: Path, port: int) -> str:
    """Serve the samples written under ``path`` on ``port``; return the URL."""
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(path))
    start_http_server(port, addr="127.0.0.1", registry=registry)
    return f"http://127.0.0.1:{port}/metrics"
