import pytest
from dagster import materialize

from models.duties import appsync
from models.duties.jsonclient import JsonClientError
from orchestration.duties.appsync import (
    feed_parsed_and_non_empty,
    published_apps_feed,
    realm_app_sync,
)
from tests.fakes.app_feed import app_feed_server, feed_entry
from tests.fakes.http import FakeHttpServer

ASSETS = [published_apps_feed, realm_app_sync]


def _run(encv, url):
    return materialize(
        [*ASSETS, feed_parsed_and_non_empty],
        resources={"encv": encv(ENCV_APP_FEED_URL=url)},
    )


def test_feed_is_synced_into_realm_branding_translations_and_apps(db, encv):
    realm = db.execute(
        "INSERT INTO realms (name, region_code) VALUES ('Wash', 'US-WA') RETURNING id"
    ).fetchone()[0]
    db.execute(
        "INSERT INTO dynamic_translations (realm_id, locale, message_id, message)"
        " VALUES (%s, 'fr', 'gone', 'x'), (%s, 'en', 'agencyRegionName', 'Old')",
        (realm, realm),
    )
    apps = [feed_entry("us-wa"), feed_entry("XX-NOPE")]
    with app_feed_server(apps) as fake:
        result = _run(encv, fake.url + "/apps.json")

    assert result.success
    assert db.execute(
        "SELECT agency_background_color, default_locale, user_report_learn_more_url"
        " FROM realms WHERE id = %s",
        (realm,),
    ).fetchone() == ("#aabbcc", "en_US", "https://example.org/learn")
    assert sorted(
        db.execute(
            "SELECT locale, message_id, message FROM dynamic_translations"
            " WHERE realm_id = %s",
            (realm,),
        ).fetchall()
    ) == [("en", "agencyRegionName", "Example"), ("es", "agencyRegionName", "Ejemplo")]
    assert db.execute(
        "SELECT name, os, app_id, sha, disable_redirect, url FROM mobile_apps"
        " WHERE realm_id = %s",
        (realm,),
    ).fetchall() == [
        (
            "us-wa Notify",
            2,
            "gov.uswa.app",
            "AA:BB:CC",
            True,
            "https://play.google.com/store/apps/details?id=gov.uswa.app",
        )
    ]
    sync = result.asset_materializations_for_node("realm_app_sync")[0].metadata
    assert sync["apps_created"].value == 1
    assert sync["entries_skipped"].value == 1
    assert sync["translations_deleted"].value == 1
    [check] = result.get_asset_check_evaluations()
    assert check.passed


def test_rerun_creates_no_duplicate_app_and_empty_feed_fails_the_check(db, encv):
    db.execute("INSERT INTO realms (name, region_code) VALUES ('Wash', 'US-WA')")
    with app_feed_server([feed_entry("US-WA")]) as fake:
        assert _run(encv, fake.url + "/apps.json").success
    db.execute("UPDATE lock_statuses SET not_before = '-infinity'")
    with app_feed_server([feed_entry("US-WA")]) as fake:
        assert _run(encv, fake.url + "/apps.json").success
    assert db.execute("SELECT count(*) FROM mobile_apps").fetchone()[0] == 1

    db.execute("UPDATE lock_statuses SET not_before = '-infinity'")
    with app_feed_server([]) as fake:
        result = _run(encv, fake.url + "/apps.json")
    [check] = result.get_asset_check_evaluations()
    assert not check.passed


def test_non_json_feed_is_an_error():
    # At the model level: the asset's RetryPolicy would make a failing run slow.
    with FakeHttpServer({}) as fake:
        with pytest.raises(JsonClientError, match="not found"):
            appsync.fetch_feed(fake.url + "/missing.json")
