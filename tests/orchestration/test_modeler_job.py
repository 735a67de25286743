import datetime as dt
import json
from pathlib import Path

from dagster import materialize

from orchestration.duties.modeler import (
    realm_abuse_prevention_forecast,
    realm_claim_ratio_model,
)
from tests.orchestration.conftest import NOW

VECTORS = json.loads(Path("/work/shared/spec/vectors.json").read_text())
ASSETS = [realm_abuse_prevention_forecast, realm_claim_ratio_model]


def _seed_series(db, realm_id: int, series: list[int]) -> None:
    """Rows ending yesterday, plus a partial today that must not be fitted."""
    today = NOW.date()
    for age, issued in enumerate(reversed(series), start=1):
        db.execute(
            "INSERT INTO realm_stats (date, realm_id, codes_issued) VALUES (%s, %s, %s)",
            (today - dt.timedelta(days=age), realm_id, issued),
        )
    db.execute(
        "INSERT INTO realm_stats (date, realm_id, codes_issued) VALUES (%s, %s, 1)",
        (today, realm_id),
    )


def test_forecast_writes_the_protocol_vectors_to_realms(db, encv):
    expected = {}
    for index, case in enumerate(VECTORS["modeler_forecast"]["entries"]):
        realm_id = db.execute(
            "INSERT INTO realms (name, region_code, abuse_prevention_enabled)"
            " VALUES (%s, %s, true) RETURNING id",
            (f"Vector {index}", f"V-{index}"),
        ).fetchone()[0]
        _seed_series(db, realm_id, case["codes_issued_oldest_to_newest"])
        expected[realm_id] = case["expected_abuse_prevention_limit"]

    result = materialize(ASSETS, resources={"encv": encv()})

    assert result.success
    stored = dict(
        db.execute(
            "SELECT id, abuse_prevention_limit FROM realms WHERE abuse_prevention_enabled"
        ).fetchall()
    )
    assert stored == expected
    meta = result.asset_materializations_for_node("realm_abuse_prevention_forecast")
    per_realm = {row["realm_id"]: row for row in meta[0].metadata["per_realm"].value}
    ramp = next(r for r, limit in expected.items() if limit == 21)
    assert per_realm[ramp]["rows_used"] == 20
    assert per_realm[ramp]["slope"] == 1.0 or abs(per_realm[ramp]["slope"] - 1) < 1e-9
    audits = db.execute(
        "SELECT count(*) FROM audit_entries WHERE action = 'updated abuse prevention"
        " limit' AND actor_id = 'system:1'"
    ).fetchone()[0]
    assert audits == 4  # the 50-rows realm's limit changed from 10 too; 10 did not


def test_claim_ratio_model_writes_the_ratio_columns(db, encv):
    today = NOW.date()
    days = [(1, 0), (2, 1)] + [(10, 9)] * 14 + [(10, 10)] * 14
    for age, (issued, claimed) in enumerate(days):
        db.execute(
            "INSERT INTO realm_stats (date, realm_id, codes_issued, codes_claimed)"
            " VALUES (%s, 1, %s, %s)",
            (today - dt.timedelta(days=age), issued, claimed),
        )
    result = materialize(ASSETS, resources={"encv": encv()})

    assert result.success
    last, mean, stddev = db.execute(
        "SELECT last_codes_claimed_ratio, codes_claimed_ratio_mean,"
        " codes_claimed_ratio_stddev FROM realms WHERE id = 1"
    ).fetchone()
    assert (float(last), float(mean), float(stddev)) == (0.5, 0.95, 0.05)
    meta = result.asset_materializations_for_node("realm_claim_ratio_model")[0]
    assert meta.metadata["anomalous"].value == 1


def test_second_modeler_run_in_the_period_materializes_nothing(db, encv):
    assert materialize(ASSETS, resources={"encv": encv()}).success
    again = materialize(
        ASSETS, resources={"encv": encv(NOW + dt.timedelta(minutes=10))}
    )
    assert again.success
    assert again.asset_materializations_for_node("realm_claim_ratio_model") == []


def test_a_changed_limit_is_not_served_from_the_realm_cache(db, encv, redis_url):
    from db.pool import PoolSource
    from models.realms.lookup import cached_realm, forget_realm
    from models.services import build_services
    from models.settings import Settings
    from tests.support import make_env

    db.execute("UPDATE realms SET abuse_prevention_enabled = true WHERE id = 1")
    _seed_series(db, 1, [50] * 19)
    settings = Settings.from_env(make_env(REDIS_URL=redis_url))
    pool = PoolSource(encv().database_url, max_size=2).open()
    services = build_services(settings, db=pool)
    try:
        assert cached_realm(services.cache, pool, 1).abuse_prevention_limit == 10
        result = materialize(ASSETS, resources={"encv": encv(REDIS_URL=redis_url)})
        assert result.success
        assert cached_realm(services.cache, pool, 1).abuse_prevention_limit == 50
    finally:
        forget_realm(services.cache, 1)
        services.close()
        pool.close()
