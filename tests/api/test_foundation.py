import dataclasses

import falcon.testing
import pytest

from api.admin.app import create_app as admin_app
from api.device.app import create_app as device_app
from api.redirect.app import create_app as redirect_app
from models.network import TrustedProxies
from ui.app import create_app as ui_app

FACTORIES = {
    "apiserver": device_app,
    "adminapi": admin_app,
    "enx-redirect": redirect_app,
    "server": ui_app,
}


@pytest.mark.parametrize("surface", sorted(FACTORIES))
def test_health_answers_after_checking_the_database(services, surface):
    client = falcon.testing.TestClient(FACTORIES[surface](services))
    resp = client.simulate_get("/health")
    assert resp.status_code == 200
    assert resp.json["status"] == "ok"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("surface", ["apiserver", "adminapi"])
def test_json_surfaces_match_the_original_routing_errors(services, surface):
    client = falcon.testing.TestClient(FACTORIES[surface](services))
    resp = client.simulate_get("/nope")
    assert resp.status_code == 404
    assert resp.text == "404 page not found\n"
    resp = client.simulate_post("/health")
    assert resp.status_code == 405 and resp.text == ""
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "X-Frame-Options" not in resp.headers
    assert resp.headers["X-Request-Id"]


def test_hsts_only_over_https(services):
    client = falcon.testing.TestClient(device_app(services))
    assert "Strict-Transport-Security" not in client.simulate_get("/health").headers
    over_tls = client.simulate_get("/health", protocol="https")
    assert over_tls.headers["Strict-Transport-Security"].startswith("max-age=3153")
    # X-Forwarded-Proto from a client that is not a trusted proxy is ignored.
    resp = client.simulate_get("/health", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in resp.headers


def test_forwarded_proto_counts_from_a_trusted_proxy(services):
    trusted = TrustedProxies.parse("127.0.0.0/8")
    settings = services.settings.replace(trusted_proxies=trusted)
    app = device_app(dataclasses.replace(services, settings=settings))
    resp = falcon.testing.TestClient(app).simulate_get(
        "/health", headers={"X-Forwarded-Proto": "https"}
    )
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=3153")


def test_redirect_surface_uses_html_mode_headers(services):
    resp = falcon.testing.TestClient(redirect_app(services)).simulate_get("/health")
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_health_fails_when_the_database_is_down(services):
    class DownSource:
        def connection(self):
            raise RuntimeError("down")

    app = device_app(dataclasses.replace(services, db=DownSource()))
    resp = falcon.testing.TestClient(app).simulate_get(
        "/health", headers={"Accept": "application/json"}
    )
    # design.md §5: a backing service down is 503 with Retry-After.
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "2"
    assert resp.json["errorCode"] == "internal_server_error"


@pytest.mark.parametrize("surface", sorted(FACTORIES))
def test_every_surface_has_readiness_and_liveness(services, surface):
    client = falcon.testing.TestClient(FACTORIES[surface](services))
    for path in ("/health/ready", "/health/live"):
        resp = client.simulate_get(path)
        assert (resp.status_code, resp.json["status"]) == (200, "ok"), path


def test_readiness_follows_the_database_and_liveness_does_not(services):
    class DownSource:
        def connection(self):
            raise RuntimeError("down")

    app = device_app(dataclasses.replace(services, db=DownSource()))
    client = falcon.testing.TestClient(app)
    json = {"Accept": "application/json"}
    assert client.simulate_get("/health/ready", headers=json).status_code == 503
    live = client.simulate_get("/health/live", headers=json)
    assert (live.status_code, live.json) == (200, {"status": "ok"})


def test_ui_sets_a_strict_csp(services):
    # Outside dev mode plain HTTP is redirected to HTTPS (ui-and-data §2.3).
    resp = falcon.testing.TestClient(ui_app(services)).simulate_get(
        "/", headers={"X-Forwarded-Proto": "https"}
    )
    assert resp.status_code == 200
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
