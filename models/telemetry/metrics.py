"""Prometheus metrics of every process, multi-process safe under gunicorn.

With ``PROMETHEUS_MULTIPROC_DIR`` set (``encv up``, gunicorn), each worker
writes its samples to files there and one scrape endpoint per surface
aggregates them (see ``encv.gunicorn_conf``). Label values are bounded:
routes are URI templates, realms are ids of existing realms, error codes
come from the protocol's fixed list. ``docs/metrics.md`` maps the original's
metric names to these.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _mp

REQUESTS = Counter(
    "encv_http_requests_total",
    "HTTP requests answered, by surface, route template, method and status.",
    ["surface", "route", "method", "status"],
)
LATENCY = Histogram(
    "encv_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["surface", "route", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
API_ERRORS = Counter(
    "encv_api_errors_total",
    "API answers carrying an errorCode (refusals included).",
    ["surface", "route", "error_code"],
)
CODES_ISSUED = Counter(
    "encv_codes_issued_total", "Verification codes issued.", ["realm"]
)
CODES_CLAIMED = Counter(
    "encv_codes_claimed_total", "Codes exchanged for a token.", ["realm"]
)
CODES_EXPIRED = Counter(
    "encv_codes_expired_total", "Codes expired on request.", ["realm"]
)
TOKENS_CLAIMED = Counter(
    "encv_tokens_claimed_total",
    "Verification tokens exchanged for a certificate (each signs one).",
    ["realm"],
)
SMS_SENT = Counter(
    "encv_sms_total", "SMS handed to the provider, by outcome.", ["realm", "outcome"]
)
RATE_LIMITED = Counter(
    "encv_rate_limited_total", "Requests refused by the rate limiter.", ["surface"]
)
QUOTA_REFUSED = Counter(
    "encv_quota_refused_total", "Issue requests refused by the daily quota.", ["realm"]
)
BACKEND_UNAVAILABLE = Counter(
    "encv_backend_unavailable_total",
    "Times a backing service could not be reached (redis, postgres).",
    ["backend"],
)
POOL_CONNECTIONS = Gauge(
    "encv_db_pool_connections",
    "Connections of this process's pool, by state (size, available, waiting).",
    ["state"],
    multiprocess_mode="livesum",
)
DUTY_RUNS = Counter(
    "encv_duty_runs_total",
    "Runs of the internal duties, by outcome.",
    ["duty", "outcome"],
)
PURGED_ROWS = Counter(
    "encv_purged_rows_total", "Rows removed by the cleanup duty.", ["target"]
)
ROTATED_KEYS = Counter(
    "encv_rotated_total", "Keys and secrets created by the rotation duties.", ["kind"]
)
CLAIM_RATIO_ANOMALY = Gauge(
    "encv_claim_ratio_anomalous",
    "1 when a realm's codes-claimed ratio is anomalous (modeler).",
    ["realm"],
    multiprocess_mode="mostrecent",
)


def realm_label(realm_id: int | None) -> str:
    """Label value for a realm (empty when there is none)."""
    return "" if realm_id is None else str(realm_id)


# labels() validates and takes a lock each call; the hot paths count per realm
# on every request, so each (metric, realm) child is looked up once.
_REALM_CHILDREN: dict[tuple, Any] = {}


def for_realm(metric, realm_id: int | None):
    """Return the child of a metric labelled only by realm (memoised, bounded)."""
    key = (metric, realm_id)
    child = _REALM_CHILDREN.get(key)
    if child is None:
        child = metric.labels(realm_label(realm_id))
        if len(_REALM_CHILDREN) < 4096:
            _REALM_CHILDREN[key] = child
    return child


def registry() -> CollectorRegistry:
    """The registry to expose: every worker's files in multi-process mode."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return REGISTRY
    collected = CollectorRegistry()
    _mp.MultiProcessCollector(collected, path=path)
    return collected


def exposition(registry_: CollectorRegistry | None = None) -> tuple[bytes, str]:
    """Return the text exposition and its content type."""
    return generate_latest(registry_ or registry()), CONTENT_TYPE_LATEST
