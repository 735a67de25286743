"""Prometheus metrics of the API surfaces, scraped under gunicorn (2 workers)."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.support import free_port, gunicorn, make_env

pytestmark = pytest.mark.slow


def _samples(url: str) -> dict[tuple, float]:
    text = httpx.get(url, timeout=5).text
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def metrics_env(tmp_path, fresh_db):
    port = free_port()
    env = make_env(
        DATABASE_URL=fresh_db,
        RATE_LIMIT_TYPE="noop",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        ENCV_METRICS_BIND=f"127.0.0.1:{port}",
    )
    return env, f"http://127.0.0.1:{port}/metrics"


def test_counters_move_by_exactly_the_requests_made(metrics_env):
    env, scrape = metrics_env
    with gunicorn("api.device.app:get_app()", env, workers=2) as base:
        before = _samples(scrape)
        with httpx.Client(base_url=base, timeout=5) as client:
            for _ in range(7):
                assert client.get("/health").status_code == 200
            for _ in range(5):
                # No API key: 401 with no errorCode; unknown path: 404.
                assert client.post("/api/verify", json={}).status_code == 401
            for _ in range(3):
                assert client.get("/nope").status_code == 404
            bad = client.post(
                "/api/verify",
                content=b"{not json",
                headers={"Content-Type": "application/json", "X-API-Key": "x"},
            )
        after = _samples(scrape)

    def moved(name, **labels):
        return _value(after, name, **labels) - _value(before, name, **labels)

    requests = "encv_http_requests_total"
    common = {"surface": "apiserver"}
    assert moved(requests, **common, route="/health", method="GET", status="200") == 7
    assert moved(
        requests, **common, route="/api/verify", method="POST", status="401"
    ) == 5 + (1 if bad.status_code == 401 else 0)
    assert moved(requests, **common, route="unmatched", method="GET", status="404") == 3
    # Latency was observed once per request.
    assert (
        moved(
            "encv_http_request_duration_seconds_count",
            **common,
            route="/health",
            method="GET",
        )
        == 7
    )
