"""Sharded daily counters: writers on different backends, readers see one day."""

from __future__ import annotations

import datetime as dt
import uuid

import psycopg
import pytest

from db.migrate import applied_versions, migrate, migration_files
from db.queries.codes.claims import NewToken, insert_token_counting_claim
from db.queries.duties import modeler
from db.queries.stats import counters, reports, system
from tests.support import with_dbname

DAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
REALM = 1
APP = 7


def _buckets(index: int) -> list[int]:
    return [int(i == index) for i in range(11)]


def _claim(conn, age: int, bucket: int) -> None:
    insert_token_counting_claim(
        conn,
        NewToken(
            realm_id=REALM,
            app_id=APP,
            token_id=uuid.uuid4().hex,
            test_type="confirmed",
            symptom_date=None,
            test_date=None,
            expires_at=NOW + dt.timedelta(days=1),
            from_user_report=False,
            day=DAY,
            age_seconds=age,
            age_buckets=_buckets(bucket),
            now=NOW,
        ),
    )


def _on_distinct_shards(url: str, count: int) -> list[psycopg.Connection]:
    conns, shards = [], set()
    for _ in range(64):
        conn = psycopg.connect(url, autocommit=True)
        shard = conn.execute("SELECT pg_backend_pid() % 16").fetchone()[0]
        if shard in shards:
            conn.close()
            continue
        shards.add(shard)
        conns.append(conn)
        if len(conns) == count:
            return conns
    pytest.fail("could not open backends on distinct shards")


def test_counters_from_several_backends_read_as_exact_daily_totals(fresh_db):
    conns = _on_distinct_shards(fresh_db, 3)
    try:
        # (ages, buckets) per backend: shard means 150, 400 and 90.
        for conn, claims in zip(
            conns,
            [[(100, 0), (200, 1)], [(400, 2)], [(60, 0), (90, 0), (120, 3)]],
            strict=True,
        ):
            with conn.transaction():
                for age, bucket in claims:
                    _claim(conn, age, bucket)
        counters.add_realm_invalid_code(
            conns[0], date=DAY, realm_id=REALM, os_delta=[0, 1, 0], bad_nonce=False
        )
        counters.add_realm_invalid_code(
            conns[1], date=DAY, realm_id=REALM, os_delta=[0, 0, 1], bad_nonce=True
        )
        counters.add_realm_tokens(conns[2], date=DAY, realm_id=REALM, claimed=1)
        counters.add_realm_tokens(conns[0], date=DAY, realm_id=REALM, invalid=1)
        for conn in conns:
            counters.add_app_counts(
                conn, date=DAY, app_id=APP, codes_invalid=1, tokens_claimed=2
            )
        reader = conns[0]
        shard_rows = reader.execute(
            "SELECT count(*) FROM realm_stats WHERE date = %s", (DAY,)
        ).fetchone()[0]
        assert shard_rows == 3
        [day] = reports.realm_stats(reader, realm_id=REALM, start=DAY, end=DAY)
        assert (day.codes_claimed, day.codes_invalid) == (6, 2)
        # The mean of all six ages, not of the shard means.
        assert day.code_claim_mean_age == (100 + 200 + 400 + 60 + 90 + 120) // 6
        assert day.code_claim_age_distribution == [3, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
        assert day.codes_invalid_by_os == [0, 1, 1]
        assert day.user_reports_invalid_nonce == 1
        assert day.user_reports_invalid_nonce_by_os == [0, 0, 1]
        assert (day.tokens_claimed, day.tokens_invalid) == (1, 1)
        [app] = reports.app_stats(reader, app_id=APP, start=DAY, end=DAY)
        assert (app.codes_claimed, app.codes_invalid, app.tokens_claimed) == (6, 3, 6)
        assert system.system_days(reader, start=DAY, end=DAY, exclude=[]) == [
            (DAY, 1, 0, 6)
        ]
        assert modeler.daily_claims(reader, realm_id=REALM, first=DAY, last=DAY) == [
            (0, 6)
        ]
    finally:
        for conn in conns:
            conn.close()


def test_claims_on_different_backends_do_not_wait_for_each_other(fresh_db):
    first, second = _on_distinct_shards(fresh_db, 2)
    try:
        with first.transaction():
            _claim(first, 10, 0)
            # Before sharding this upsert waited for ``first``'s COMMIT.
            second.execute("SET lock_timeout = '5s'")
            with second.transaction():
                _claim(second, 20, 0)
        [day] = reports.realm_stats(first, realm_id=REALM, start=DAY, end=DAY)
        assert (day.codes_claimed, day.code_claim_mean_age) == (2, 15)
    finally:
        first.close()
        second.close()


def _migrate_until(url: str, stop: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        applied_versions(conn)
        for version, sql in migration_files():
            if version >= stop:
                break
            with conn.transaction():
                conn.execute(sql)
                conn.execute("INSERT INTO migrations (id) VALUES (%s)", (version,))


def test_migration_keeps_existing_stats_rows(pg_server_dsn):
    name = f"encv_shards_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_dbname(pg_server_dsn, name)
    try:
        _migrate_until(url, "0018")
        with psycopg.connect(url, autocommit=True) as conn:
            # Rows as the pre-shard writers left them, on their old unique key.
            conn.execute(
                "INSERT INTO realm_stats (date, realm_id, codes_issued, codes_claimed,"
                " codes_invalid_by_os, code_claim_age_distribution,"
                " code_claim_mean_age) VALUES"
                " (%s, 1, 9, 4, '{1,2,3}', '{4,0,0,0,0,0,0,0,0,0,0}', 300),"
                " (%s, 1, 5, 0, '{0,0,0}', '{0,0,0,0,0,0,0,0,0,0,0}', 0)"
                " ON CONFLICT (date, realm_id) DO NOTHING",
                (DAY, DAY - dt.timedelta(days=1)),
            )
            conn.execute(
                "INSERT INTO authorized_app_stats (date, authorized_app_id,"
                " codes_issued, codes_claimed) VALUES (%s, %s, 3, 4)"
                " ON CONFLICT (date, authorized_app_id) DO NOTHING",
                (DAY, APP),
            )
            assert "0018_stats_shards" in migrate(conn)
            assert conn.execute(
                "SELECT array_agg(DISTINCT shard) FROM realm_stats"
            ).fetchone()[0] == [0]
            days = reports.realm_stats(
                conn, realm_id=REALM, start=DAY - dt.timedelta(days=1), end=DAY
            )
            assert [
                (d.codes_issued, d.codes_claimed, d.code_claim_mean_age) for d in days
            ] == [(9, 4, 300), (5, 0, 0)]
            assert days[0].codes_invalid_by_os == [1, 2, 3]
            assert days[0].code_claim_age_distribution == [4] + [0] * 10
            _claim(conn, 600, 1)
            [day] = reports.realm_stats(conn, realm_id=REALM, start=DAY, end=DAY)
            assert (day.codes_claimed, day.code_claim_mean_age) == (5, 360)
            assert day.code_claim_age_distribution == [4, 1] + [0] * 9
            [app] = reports.app_stats(conn, app_id=APP, start=DAY, end=DAY)
            assert (app.codes_issued, app.codes_claimed) == (3, 5)
            assert modeler.issuance_history(
                conn, realm_id=REALM, before=DAY + dt.timedelta(days=1), limit=5
            ) == [5, 9]
    finally:
        with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
