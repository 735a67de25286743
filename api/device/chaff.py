"""``X-Chaff`` handling for the device API (protocol §2.6).

Chaff requests (any non-empty ``X-Chaff``) come from apps hiding real
traffic; they get a fake 200 shaped like recent real responses, are noted in
``realm_chaff_events`` and never reach a handler or the rate limiter.
"""

from __future__ import annotations

import base64
import collections
import logging
import secrets
import threading
import time

import falcon

from db.pool import ConnectionSource
from models.stats import counters as stats

log = logging.getLogger(__name__)

PROFILE_SIZE = 100
SEEN_SECONDS = 48 * 3600.0


class Tracker:
    """Sizes and latencies of the last real responses of a group of routes."""

    def __init__(self, size: int = PROFILE_SIZE):
        self._samples: collections.deque = collections.deque(maxlen=size)

    def record(self, latency_ms: float, body_bytes: int) -> None:
        """Remember one real response."""
        self._samples.append((latency_ms, body_bytes))

    def averages(self) -> tuple[float, int] | None:
        """Return (mean latency ms, mean body bytes), or None before any sample."""
        samples = list(self._samples)
        if not samples:
            return None
        latency = sum(s[0] for s in samples) / len(samples)
        return latency, sum(s[1] for s in samples) // len(samples)


def fake_body(average_bytes: int) -> bytes:
    """Return ``{"padding":"<P>"}`` roughly as large as a real response."""
    inner = base64.b64encode(secrets.token_bytes(max(1, average_bytes * 3 // 4)))
    return b'{"padding":"' + base64.b64encode(inner) + b'"}'


def is_chaff(req: falcon.Request) -> bool:
    """Say whether the request carries a non-empty ``X-Chaff`` header."""
    return bool(req.get_header("X-Chaff"))


class Chaff:
    """Answer chaff after the firewall and before the rate limiter."""

    def __init__(self, db: ConnectionSource, clock, max_latency_ms: int):
        self._db = db
        self._clock = clock
        self._max_latency = max_latency_ms / 1000.0
        # One profile shared by verify and user-report, another for certificate.
        self._trackers = {"verify": Tracker(), "certificate": Tracker()}
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def _tracker(self, req: falcon.Request) -> Tracker:
        return self._trackers[
            "certificate" if req.path.endswith("/certificate") else "verify"
        ]

    def _note_realm(self, realm_id: int) -> None:
        today = self._clock.now().date()
        key = f"{today.isoformat()}:{realm_id}"
        now = time.monotonic()
        if self._seen.get(key, 0) > now:
            return
        try:
            with self._db.connection() as conn, conn.transaction():
                stats.chaff_seen(conn, realm_id=realm_id, date=today)
        except Exception:  # chaff bookkeeping must never break the cover traffic
            log.warning("could not record chaff for realm %s", realm_id, exc_info=True)
            return
        with self._lock:
            self._seen = {k: v for k, v in self._seen.items() if v > now}
            self._seen[key] = now + SEEN_SECONDS

    def process_resource(self, req, resp, resource, params) -> None:
        """Answer chaff with a fake response; time real requests."""
        if resource is None or not getattr(resource, "api_key_types", None):
            return
        if not hasattr(resource, f"on_{req.method.lower()}"):
            return
        req.context.chaff_started = time.perf_counter()
        if not is_chaff(req):
            return
        req.context.chaff = True
        self._note_realm(req.context.realm.id)
        profile = self._tracker(req).averages()
        resp.status = 200
        resp.content_type = falcon.MEDIA_JSON
        resp.data = fake_body(profile[1]) if profile else b""
        if profile:
            elapsed = time.perf_counter() - req.context.chaff_started
            delay = min(profile[0] / 1000.0, self._max_latency) - elapsed
            if delay > 0:
                time.sleep(delay)
        resp.complete = True

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        """Add real responses to the profile of their route group."""
        started = getattr(req.context, "chaff_started", None)
        if started is None or getattr(req.context, "chaff", False):
            return
        body = resp.render_body() or b""
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        self._tracker(req).record(elapsed_ms, len(body))
