"""Request metrics middleware: count and time every answer (``models.telemetry``).

Routes are Falcon URI templates (``/api/verify``, ``/jwks/{realm_id}``), so
label values stay bounded whatever clients send; an unrouted path counts as
``unmatched``. The ``errorCode`` of an error body is counted per route, which
gives the refusal counters (rate limit, quota, bad input) their numbers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import falcon

from models.telemetry import logs
from models.telemetry import metrics as m

MAX_REMEMBERED_SERIES = 512
POOL_SAMPLE_SECONDS = 1.0


def _error_code(resp: falcon.Response) -> str:
    if resp.status_code < 400 or not (resp.content_type or "").startswith(
        falcon.MEDIA_JSON
    ):
        return ""
    body = resp.media if resp.media is not None else None
    if body is None and resp.text:
        try:
            body = json.loads(resp.text)
        except ValueError:
            return ""
    code = body.get("errorCode", "") if isinstance(body, dict) else ""
    return code if isinstance(code, str) else ""


class RequestMetrics:
    """Count every response by route, method, status and errorCode."""

    def __init__(self, surface: str, pool_stats: Callable[[], dict] | None = None):
        self.surface = surface
        self._pool_stats = pool_stats
        self._next_pool_sample = 0.0
        # prometheus_client validates and locks on every labels() call; the
        # children of each (route, method, status) are looked up once instead.
        self._children: dict[tuple, tuple] = {}

    def _series(self, route: str, method: str, status: int) -> tuple:
        key = (route, method, status)
        children = self._children.get(key)
        if children is None:
            children = (
                m.REQUESTS.labels(self.surface, route, method, str(status)),
                m.LATENCY.labels(self.surface, route, method),
            )
            # Routes are templates and statuses few, but methods come from
            # clients: past this size, stop remembering (labels() still works).
            if len(self._children) < MAX_REMEMBERED_SERIES:
                self._children[key] = children
        return children

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Note the start time (the request id middleware may have already)."""
        if not hasattr(req.context, "started"):
            req.context.started = time.perf_counter()

    def process_resource(self, req, resp, resource, params) -> None:
        """Put the route template into the log context."""
        logs.route.set(req.uri_template or "")

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Record the answer."""
        route = req.uri_template or "unmatched"
        status = resp.status_code
        elapsed = time.perf_counter() - req.context.started
        requests, latency = self._series(route, req.method, status)
        requests.inc()
        latency.observe(elapsed)
        code = _error_code(resp)
        if code:
            m.API_ERRORS.labels(self.surface, route, code).inc()
        if status == 429:
            m.RATE_LIMITED.labels(self.surface).inc()
        if code == "quota_exceeded":
            realm = getattr(req.context, "realm", None)
            m.QUOTA_REFUSED.labels(m.realm_label(getattr(realm, "id", None))).inc()
        # The pool gauges are a sample: once a second per process is plenty.
        now = time.monotonic()
        if self._pool_stats is not None and now >= self._next_pool_sample:
            self._next_pool_sample = now + POOL_SAMPLE_SECONDS
            stats = self._pool_stats()
            for state in ("pool_size", "pool_available", "requests_waiting"):
                m.POOL_CONNECTIONS.labels(state).set(stats.get(state, 0))


def pool_stats_of(db) -> Callable[[], dict] | None:
    """Return a cheap stats reader for a pooled connection source, if it has one."""
    pool = getattr(db, "pool", None)
    return pool.get_stats if pool is not None and hasattr(pool, "get_stats") else None
