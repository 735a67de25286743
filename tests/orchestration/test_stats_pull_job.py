import datetime as dt

from cryptography.hazmat.primitives import serialization
from dagster import materialize

from orchestration.duties.statspull import key_server_stats_days, key_server_stats_fresh
from tests.fakes.key_server import FakeKeyServer
from tests.orchestration.conftest import NOW


def _system_public_keys(db) -> dict:
    rows = db.execute(
        "SELECT c.kid, v.public_key_pem FROM system_certificate_keys c"
        " JOIN key_versions v ON v.name = c.key_version_id"
    ).fetchall()
    return {kid: serialization.load_pem_public_key(pem.encode()) for kid, pem in rows}


def _day(day: dt.date, teks: int) -> dict:
    return {
        "day": f"{day.isoformat()}T00:00:00Z",
        "publish_requests": {"unknown": 1, "android": 3, "ios": 2},
        "total_teks_published": teks,
        "requests_with_revisions": 4,
        "tek_age_distribution": list(range(17)),
        "onset_to_upload_distribution": [0] * 31,
        "requests_missing_onset_date": 5,
    }


def _key_server(db, days):
    return FakeKeyServer(
        issuer="diagnosis-verification-example",
        audience="exposure-notifications-server",
        keys=_system_public_keys(db),
        stats_days=days,
        clock=NOW.timestamp,
    )


def test_stats_are_upserted_and_fresh(db, encv):
    db.execute("INSERT INTO key_server_stats (realm_id) VALUES (1)")
    yesterday = NOW.date() - dt.timedelta(days=1)
    db.execute(
        "INSERT INTO key_server_stats_days (realm_id, day, total_teks_published)"
        " VALUES (1, %s, 1)",
        (dt.datetime.combine(yesterday, dt.time(), dt.UTC),),
    )
    days = [_day(yesterday - dt.timedelta(days=1), 7), _day(yesterday, 9)]
    with _key_server(db, days) as fake:
        result = materialize(
            [key_server_stats_days, key_server_stats_fresh],
            resources={"encv": encv(ENCV_KEY_SERVER_URL=fake.url + "/v1/publish")},
        )
    assert result.success
    rows = db.execute(
        "SELECT total_teks_published, publish_requests, revision_requests,"
        " tek_age_distribution, request_missing_onset_date"
        " FROM key_server_stats_days WHERE realm_id = 1 ORDER BY day"
    ).fetchall()
    assert rows == [
        (7, [1, 2, 3], 4, list(range(17)), 5),
        (9, [1, 2, 3], 4, list(range(17)), 5),
    ]
    assert fake.stats_claims[0]["iss"] == "diagnosis-verification-example"
    meta = result.asset_materializations_for_node("key_server_stats_days")[0].metadata
    assert meta["days_upserted"].value == 2
    [check] = result.get_asset_check_evaluations()
    assert check.passed


def test_freshness_check_warns_on_old_data(db, encv):
    db.execute("INSERT INTO key_server_stats (realm_id) VALUES (1)")
    with _key_server(db, [_day(NOW.date() - dt.timedelta(days=3), 1)]) as fake:
        result = materialize(
            [key_server_stats_days, key_server_stats_fresh],
            resources={"encv": encv(ENCV_KEY_SERVER_URL=fake.url)},
        )
    [check] = result.get_asset_check_evaluations()
    assert not check.passed and check.severity.value == "WARN"


def test_a_rejected_realm_fails_the_run_after_the_others_are_pulled(db, encv):
    other = db.execute(
        "INSERT INTO realms (name, region_code) VALUES ('B', 'B-B') RETURNING id"
    ).fetchone()[0]
    db.execute(
        "INSERT INTO key_server_stats (realm_id, key_server_audience_override)"
        " VALUES (1, NULL), (%s, 'wrong-audience')",
        (other,),
    )
    with _key_server(db, [_day(NOW.date(), 1)]) as fake:
        result = materialize(
            [key_server_stats_days],
            resources={"encv": encv(ENCV_KEY_SERVER_URL=fake.url)},
            raise_on_error=False,
        )
    assert not result.success
    assert db.execute("SELECT realm_id FROM key_server_stats_days").fetchall() == [(1,)]
