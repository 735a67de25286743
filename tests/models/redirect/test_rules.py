"""The redirector's pure rules against the original's vectors (§12.9-12.11)."""

from __future__ import annotations

import urllib.parse

import pytest

from models.network import TrustedProxies, client_ip
from models.redirect.rules import (
    App,
    AppStoreData,
    android_assetlinks,
    app_store_data,
    apple_association,
    decide,
    ens_url,
    intent_url,
    is_android,
    is_ios,
    parse_host_regions,
    region_for_host,
    webhook_signature,
)
from tests.support import vectors


@pytest.mark.parametrize("case", vectors("ens_url"), ids=lambda c: c["expected"])
def test_ens_url_matches_vectors(case):
    assert ens_url(case["path"], case["query"], case["region"]) == case["expected"]


@pytest.mark.parametrize("case", vectors("intent_url"), ids=lambda c: c["expected"])
def test_intent_url_matches_vectors(case):
    got = intent_url(
        case["path"],
        case["query"],
        case["region"],
        case["app_id"],
        case["fallback_url"],
    )
    assert got == case["expected"]


@pytest.mark.parametrize("case", vectors("redirect_decision"), ids=lambda c: c["name"])
def test_redirect_decision_matches_vectors(case):
    url = urllib.parse.urlsplit(case["url"])
    data = case["app_store_data"]
    location = decide(
        user_agent=case["user_agent"],
        path=url.path,
        query=urllib.parse.parse_qs(url.query, keep_blank_values=True),
        region=case["region"],
        enx_enabled=case["enx_enabled"],
        apps=AppStoreData(
            android_url=data["androidURL"],
            android_app_id=data["androidAppID"],
            android_headless=data["androidHeadless"],
            ios_url=data["iosURL"],
        ),
    )
    assert location == case["expected_location"]


@pytest.mark.parametrize(
    "case", vectors("redirect_user_agent_platform"), ids=lambda c: c["user_agent"]
)
def test_user_agent_classification_matches_vectors(case):
    assert is_android(case["user_agent"]) is case["expected_android"]
    assert is_ios(case["user_agent"]) is case["expected_ios"]


@pytest.mark.parametrize("case", vectors("client_ip"))
def test_client_ip_matches_vectors(case):
    # The vectors describe the original behind one trusted load balancer.
    one_hop = TrustedProxies(hops=1)
    got = client_ip(case["remote_addr"], case["x_forwarded_for"], one_hop)
    assert got == case["expected_client_ip"]


def test_decide_without_query_sends_phones_to_stores_and_others_to_landing():
    both = AppStoreData("https://a.example/", "com.a", False, "https://i.example/")
    common = {"path": "/", "query": {}, "region": "US-AA", "enx_enabled": False}
    assert decide(user_agent="Android", apps=both, **common) == "https://a.example/"
    assert decide(user_agent="iPhone", apps=both, **common) == "https://i.example/"
    none = AppStoreData()
    assert decide(user_agent="iPhone", apps=none, **common) == "ens://onboarding"
    assert decide(user_agent="Android", apps=none, **common) == (
        "ensonboarding://picker/us-aa"
    )
    landing = decide(user_agent="curl/8", apps=none, **common)
    assert landing == "https://www.google.com/covid19/exposurenotifications/"


def test_decide_lower_cases_the_path_but_keeps_the_query():
    location = decide(
        user_agent="iPhone",
        path="/V",
        query={"c": ["AbC"]},
        region="US-AA",
        enx_enabled=True,
        apps=AppStoreData(),
    )
    assert location == "ens://v?c=AbC&r=US-AA"


def test_host_mapping_is_case_insensitive_and_ignores_the_port():
    mapping = parse_host_regions(" Realm1:aa ,x.example.com:us-bb,")
    assert mapping == {"realm1": "AA", "x.example.com": "US-BB"}
    assert region_for_host(mapping, "REALM1:8083") == "AA"
    assert region_for_host(mapping, "x.example.com") == "US-BB"
    assert region_for_host(mapping, "other") is None


@pytest.mark.parametrize("text", ["a:", ":B", "nocolon", "a:b,:c"])
def test_host_mapping_rejects_empty_parts(text):
    with pytest.raises(ValueError):
        parse_host_regions(text)


def test_first_redirect_enabled_app_of_each_os_wins():
    apps = [
        App(os=2, app_id="off", url="https://off/", disable_redirect=True),
        App(os=2, app_id="on", url="https://on/", headless=True),
        App(os=2, app_id="later", url="https://later/"),
        App(os=1, app_id="T.ios", url="https://ios/"),
    ]
    assert app_store_data(apps) == AppStoreData(
        android_url="https://on/",
        android_app_id="on",
        android_headless=True,
        ios_url="https://ios/",
    )


def test_association_documents_have_the_platform_shapes():
    assert apple_association(["T1.com.a", "T2.com.b"]) == {
        "applinks": {
            "apps": [],
            "details": [
                {"appID": "T1.com.a", "paths": ["*"]},
                {"appID": "T2.com.b", "paths": ["*"]},
            ],
        }
    }
    links = android_assetlinks([App(os=2, app_id="com.a", url="", sha="AA:01\nBB:02")])
    assert links == [
        {
            "relation": ["delegate_permission/common.handle_all_urls"],
            "target": {
                "namespace": "android_app",
                "package_name": "com.a",
                "sha256_cert_fingerprints": ["AA:01", "BB:02"],
            },
        }
    ]


@pytest.mark.parametrize("case", vectors("webhook_signature"))
def test_webhook_signature_matches_vectors(case):
    signature = webhook_signature(case["secret"], case["body"].encode())
    assert signature == case["expected_x_signature"]
