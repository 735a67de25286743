"""Redirect decisions and association files through the whole app (§9)."""

from __future__ import annotations

import json

import falcon.testing
import pytest

from api.redirect.app import create_app
from db.queries.realms import core as realms_q
from db.queries.realms import mobile_apps as apps_q
from models.realms.bootstrap import DEMO_APPS, bootstrap_demo
from tests.support import vectors


@pytest.fixture
def client(services, vector_realms):
    return falcon.testing.TestClient(create_app(services))


def _host(entry: str) -> str:
    # "(server's own host:port, unmapped)" in the vectors is any unmapped host.
    return "127.0.0.1:8083" if entry.startswith("(") else entry


@pytest.mark.parametrize(
    "case",
    vectors("redirect_server"),
    ids=lambda c: f"{c['host']}{c['path']}-{c['user_agent']}",
)
def test_redirect_server_vectors(client, case):
    path, _, query = case["path"].partition("?")
    resp = client.simulate_get(
        path,
        query_string=query,
        headers={"Host": _host(case["host"]), "User-Agent": case["user_agent"]},
    )
    assert resp.status_code == case["expected_status"]
    if case["expected_status"] == 303:
        assert resp.headers["Location"] == case["expected_location"]


@pytest.mark.parametrize(
    "case",
    vectors("associated_domains_status"),
    ids=lambda c: f"{c['host']}{c['path']}",
)
def test_association_status_vectors(client, case):
    resp = client.simulate_get(case["path"], headers={"Host": _host(case["host"])})
    assert resp.status_code == case["expected_status"]


def test_unmapped_host_sends_phones_to_onboarding(client):
    headers = {"Host": "nowhere.example", "User-Agent": "Android"}
    resp = client.simulate_get("/v", query_string="c=1", headers=headers)
    assert resp.status_code == 303
    assert resp.headers["Location"] == "ensonboarding://picker"
    headers["User-Agent"] = "iPhone"
    resp = client.simulate_get("/v", query_string="c=1", headers=headers)
    assert resp.headers["Location"] == "ens://onboarding"


def test_redirect_404_is_content_negotiated(client):
    headers = {"Host": "realm1", "User-Agent": "curl"}
    resp = client.simulate_get("/app", query_string="c=1", headers=headers)
    assert resp.status_code == 404 and resp.text == "Not Found"
    resp = client.simulate_get(
        "/app",
        query_string="c=1",
        headers={**headers, "Accept": "application/json"},
    )
    assert resp.json == "Not Found"
    resp = client.simulate_get(
        "/app", query_string="c=1", headers={**headers, "Accept": "text/html"}
    )
    assert resp.headers["Content-Type"].startswith("text/html")
    assert "This page does not exist." in resp.text
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_redirect_only_answers_get(client):
    resp = client.simulate_post("/app", headers={"Host": "realm2"})
    assert resp.status_code == 405


def test_apple_association_lists_the_realms_ios_apps(client):
    resp = client.simulate_get(
        "/.well-known/apple-app-site-association", headers={"Host": "okay"}
    )
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json"
    assert json.loads(resp.text) == {
        "applinks": {
            "apps": [],
            "details": [{"appID": "com.example.app1", "paths": ["*"]}],
        }
    }


def test_assetlinks_lists_packages_and_fingerprints(client):
    resp = client.simulate_get("/.well-known/assetlinks.json", headers={"Host": "okay"})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json"
    assert json.loads(resp.text) == [
        {
            "relation": ["delegate_permission/common.handle_all_urls"],
            "target": {
                "namespace": "android_app",
                "package_name": "com.example.app2",
                "sha256_cert_fingerprints": ["AA:BB:CC", "11:22:33"],
            },
        }
    ]


def test_association_errors_say_what_is_missing(client):
    path = "/.well-known/assetlinks.json"
    assert client.simulate_get(path, headers={"Host": "x"}).json == {
        "error": "request is missing region"
    }
    assert client.simulate_get(path, headers={"Host": "bad"}).json == {
        "error": 'no realm exists for region "NOPE"'
    }
    assert client.simulate_get(path, headers={"Host": "empty"}).json == {
        "error": "no apps are registered"
    }


def test_region_data_is_cached_for_the_app_cache_ttl(conn, services, vector_realms):
    client = falcon.testing.TestClient(create_app(services))
    path = "/.well-known/apple-app-site-association"
    assert client.simulate_get(path, headers={"Host": "empty"}).status_code == 404
    # The 404 above cached "AA has no apps"; a new app shows only after the TTL.
    apps_q.upsert_mobile_app(
        conn, realm_id=vector_realms["AA"], name="new", os=1, app_id="T.new", url=""
    )
    assert client.simulate_get(path, headers={"Host": "empty"}).status_code == 404
    services.cache.delete("apps:AA")
    assert client.simulate_get(path, headers={"Host": "empty"}).status_code == 200


def test_disabled_redirect_apps_still_appear_in_association_files(
    conn, client, vector_realms
):
    conn.execute(
        "UPDATE mobile_apps SET disable_redirect = true WHERE realm_id = %(id)s",
        {"id": vector_realms["BB"]},
    )
    headers = {"Host": "okay", "User-Agent": "iPhone"}
    resp = client.simulate_get(
        "/.well-known/apple-app-site-association", headers=headers
    )
    assert resp.status_code == 200
    # ...but no longer drive redirects: no app link and no ENX means a 404.
    resp = client.simulate_get("/app", query_string="c=1", headers=headers)
    assert resp.status_code == 404


def test_demo_realm_association_files(conn, services):
    from models.settings import Settings
    from tests.support import make_env

    bootstrap_demo(conn, services.secrets)
    services.settings = Settings.from_env(
        make_env(HOSTNAME_TO_REGION="us-demo.localhost:US-DEMO")
    )
    client = falcon.testing.TestClient(create_app(services))
    headers = {"Host": "us-demo.localhost:8083"}
    ios = client.simulate_get(
        "/.well-known/apple-app-site-association", headers=headers
    )
    android = client.simulate_get("/.well-known/assetlinks.json", headers=headers)
    (_, _, ios_id, _, _), (_, _, android_id, _, sha) = DEMO_APPS
    assert ios.json["applinks"]["details"] == [{"appID": ios_id, "paths": ["*"]}]
    target = android.json[0]["target"]
    assert target["package_name"] == android_id
    assert target["sha256_cert_fingerprints"] == [sha]
    assert realms_q.get_realm_by_region(conn, "us-demo") is not None
