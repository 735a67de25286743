"""Races over real HTTP through gunicorn, against a committed database."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from models.issue import fold_pending_stats
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


def test_parallel_issues_with_one_uuid_yield_one_code(fresh_db, settings):
    from db.pool import SingleConnectionSource
    from models.services import build_services

    with psycopg.connect(fresh_db, autocommit=True) as conn:
        services = build_services(settings, db=SingleConnectionSource(conn))
        realm_id = make_realm(conn, "Race")
        key, _ = make_key(conn, services, realm_id)
    client_uuid = "5b0f6a36-3c8e-4b63-9f5e-4f3f1b2a9d10"
    env = make_env(DATABASE_URL=fresh_db)
    with gunicorn("api.admin.app:get_app()", env, workers=4) as base:
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(
                pool.map(
                    lambda _: _post(
                        base + "/api/issue",
                        key,
                        {"testType": "confirmed", "uuid": client_uuid},
                    ),
                    range(20),
                )
            )
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [409] * 19
    assert all(
        body["errorCode"] == "uuid_already_exists"
        for status, body in results
        if status == 409
    )
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        fold_pending_stats(conn)
        codes = conn.execute(
            "SELECT count(*) FROM verification_codes WHERE uuid = %(u)s",
            {"u": client_uuid},
        ).fetchone()[0]
        issued = conn.execute(
            "SELECT codes_issued FROM realm_stats WHERE realm_id = %(r)s",
            {"r": realm_id},
        ).fetchone()[0]
    assert (codes, issued) == (1, 1)
