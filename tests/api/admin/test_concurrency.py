"""Races over real HTTP through gunicorn, against a committed database."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from db.pool import SingleConnectionSource
from models.services import build_services
from tests.issuing import make_key, make_realm
from tests.support import gunicorn, make_env

pytestmark = pytest.mark.slow


def _post(url: str, key: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as ex:
        return ex.code, json.loads(ex.read())


def _seed(dsn: str, settings, name: str, **realm_settings) -> tuple[int, str]:
    """Commit a realm and an ADMIN key; return (realm id, key)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        services = build_services(settings, db=SingleConnectionSource(conn))
        realm_id = make_realm(conn, name, **realm_settings)
        key, _ = make_key(conn, services, realm_id)
    return realm_id, key


def _parallel_issues(dsn: str, key: str, body: dict, n: int, workers: int):
    """POST ``body`` to /api/issue ``n`` times at once through gunicorn."""
    env = make_env(DATABASE_URL=dsn)
    with gunicorn("api.admin.app:get_app()", env, workers=workers) as base:
        with ThreadPoolExecutor(max_workers=n) as pool:
            return list(
                pool.map(lambda _: _post(base + "/api/issue", key, body), range(n))
            )


def test_parallel_issues_with_one_uuid_yield_one_code(fresh_db, settings):
    realm_id, key = _seed(fresh_db, settings, "Race")
    client_uuid = "5b0f6a36-3c8e-4b63-9f5e-4f3f1b2a9d10"
    body = {"testType": "confirmed", "uuid": client_uuid}
    results = _parallel_issues(fresh_db, key, body, n=20, workers=4)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 19
    assert all(
        body["errorCode"] == "uuid_already_exists"
        for status, body in results
        if status == 409
    )
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        codes = conn.execute(
            "SELECT count(*) FROM verification_codes WHERE uuid = %(u)s",
            {"u": client_uuid},
        ).fetchone()[0]
        issued = conn.execute(
            "SELECT codes_issued FROM realm_stats_daily WHERE realm_id = %(r)s",
            {"r": realm_id},
        ).fetchone()[0]
    assert (codes, issued) == (1, 1)


def test_quota_is_shared_by_every_worker(fresh_db, settings):
    realm_id, key = _seed(
        fresh_db,
        settings,
        "Quota",
        abuse_prevention_enabled=True,
        abuse_prevention_limit=3,
    )
    results = _parallel_issues(fresh_db, key, {"testType": "confirmed"}, 8, 3)
    assert sorted(status for status, _ in results) == [200] * 3 + [429] * 5
    assert {body["errorCode"] for status, body in results if status == 429} == {
        "quota_exceeded"
    }
    with psycopg.connect(fresh_db) as conn:
        issued = conn.execute(
            "SELECT count(*) FROM verification_codes WHERE realm_id = %(r)s",
            {"r": realm_id},
        ).fetchone()[0]
    assert issued == 3
