"""X-Chaff (protocol §2.6): fake answers, chaff events, no rate-limit tokens."""

from __future__ import annotations

import dataclasses

import falcon.testing

from api.device.app import create_app
from api.device.chaff import Tracker, fake_body
from db.ratelimit import MemoryRateLimiter


def chaff_events(conn, realm_id):
    return conn.execute(
        "SELECT date FROM realm_chaff_events WHERE realm_id = %s", (realm_id,)
    ).fetchall()


def test_chaff_is_answered_without_touching_codes(device):
    issued = device.issue()
    first = device.post("/api/verify", {"code": issued.code}, {"X-Chaff": "1"})
    # No real traffic observed yet: an empty 200.
    assert first.status_code == 200 and first.content == b""
    assert device.conn.execute("SELECT count(*) FROM tokens").fetchone()[0] == 0
    assert device.verify(issued.code).status_code == 200
    second = device.post("/api/verify", {"code": "x"}, {"X-Chaff": "yes"})
    assert second.status_code == 200 and set(second.json) == {"padding"}
    assert chaff_events(device.conn, device.realm_id) == [(device.clock.now().date(),)]


def test_chaff_body_is_not_even_read(device):
    resp = device.client.simulate_post(
        "/api/certificate",
        body=b"not json at all",
        headers={"X-API-Key": device.api_key, "X-Chaff": "1"},
    )
    assert resp.status_code == 200


def test_chaff_still_needs_a_valid_key_and_post(device):
    assert (
        device.post("/api/verify", {}, {"X-Chaff": "1", "X-API-Key": "no"}).status_code
        == 401
    )
    assert (
        device.client.simulate_get("/api/verify", headers={"X-Chaff": "1"}).status_code
        == 405
    )


def test_an_empty_chaff_header_is_a_real_request(device):
    resp = device.post("/api/verify", {"code": "x"}, {"X-Chaff": ""})
    assert resp.json["errorCode"] == "code_invalid"


def test_chaff_spends_no_rate_limit_tokens(device):
    limiter = MemoryRateLimiter(b"k", 1, 60, clock=lambda: 1_000_000.0)
    app = create_app(dataclasses.replace(device.services, limiter=limiter))
    client = falcon.testing.TestClient(app)
    headers = {"X-API-Key": device.api_key, "X-Chaff": "1"}
    for _ in range(3):
        resp = client.simulate_post("/api/verify", headers=headers)
        assert resp.status_code == 200 and "X-RateLimit-Limit" not in resp.headers
    real = client.simulate_post(
        "/api/verify", json={"code": "1"}, headers={"X-API-Key": device.api_key}
    )
    assert real.status_code == 400 and real.headers["X-RateLimit-Remaining"] == "0"


def test_fake_bodies_track_real_sizes():
    tracker = Tracker(size=2)
    assert tracker.averages() is None
    for latency, size in ((10, 100), (20, 3000), (30, 5000)):
        tracker.record(latency, size)
    assert tracker.averages() == (25, 4000)
    body = fake_body(3000)
    assert body.startswith(b'{"padding":"') and 3000 <= len(body) <= 4200
