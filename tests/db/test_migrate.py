import subprocess
import sys
import uuid

import psycopg

from db.migrate import migrate, migration_files
from tests.support import make_env, with_dbname


def test_concurrent_migrate_runs_apply_schema_once(pg_server_dsn, tmp_path):
    name = f"encv_migrate_race_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_dbname(pg_server_dsn, name)
    env = {
        **make_env(ENCV_DATA_DIR=str(tmp_path)),
        "DATABASE_URL": url,
        "PATH": "/usr/bin:/bin",
    }
    try:
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "encv.cli", "migrate"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(4)
        ]
        results = [
            (p.wait(timeout=120), p.stdout.read().decode(), p.stderr.read().decode())
            for p in procs
        ]
        assert [rc for rc, _, _ in results] == [0, 0, 0, 0], results
        # Exactly one run applied the baseline; the others found nothing to do.
        applied = [out for _, out, _ in results if "0001_init" in out]
        assert len(applied) == 1
        with psycopg.connect(url) as conn:
            versions = conn.execute("SELECT id FROM migrations ORDER BY id").fetchall()
            assert [v[0] for v in versions] == [v for v, _ in migration_files()]
            assert (
                conn.execute(
                    "SELECT count(*) FROM realms WHERE name = 'Default'"
                ).fetchone()[0]
                == 1
            )
            assert (
                conn.execute(
                    "SELECT count(*) FROM token_signing_keys WHERE is_active"
                ).fetchone()[0]
                == 1
            )
            assert (
                conn.execute(
                    "SELECT count(DISTINCT type) FROM secrets WHERE active"
                ).fetchone()[0]
                == 7
            )
    finally:
        with psycopg.connect(pg_server_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrate_is_idempotent(template_db):
    with psycopg.connect(template_db, autocommit=True) as conn:
        assert migrate(conn) == []


def test_schema_has_every_table_of_the_data_model(conn):
    expected = {
        "realms",
        "users",
        "memberships",
        "verification_codes",
        "tokens",
        "authorized_apps",
        "mobile_apps",
        "audit_entries",
        "signing_keys",
        "sms_signing_keys",
        "token_signing_keys",
        "secrets",
        "sms_configs",
        "sms_from_numbers",
        "email_configs",
        "user_reports",
        "realm_stats",
        "user_stats",
        "authorized_app_stats",
        "external_issuer_stats",
        "sms_error_stats",
        "key_server_stats",
        "key_server_stats_days",
        "realm_chaff_events",
        "dynamic_translations",
        "lock_statuses",
        "migrations",
        "mfa_factors",
        "auth_tokens",
        "key_versions",
    }
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    ).fetchall()
    assert expected <= {r[0] for r in rows}


def test_audit_entries_are_append_only(conn):
    conn.execute(
        "INSERT INTO audit_entries (realm_id, actor_id, actor_display, action, target_id,"
        " target_display) VALUES (1, 'a', 'a', 'x', 't', 't')"
    )
    try:
        with conn.transaction():
            conn.execute("UPDATE audit_entries SET action = 'changed'")
    except psycopg.errors.RaiseException as ex:
        assert "append-only" in str(ex)
    else:
        raise AssertionError("update of an audit entry was allowed")
