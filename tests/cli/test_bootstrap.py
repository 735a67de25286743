import json
import os
import subprocess
import sys

import psycopg

from tests.support import make_env

KEYS = {
    "realm_id",
    "realm_name",
    "region_code",
    "admin_api_key",
    "device_api_key",
    "stats_api_key",
    "system_admin",
    "realm_admin",
}


def _bootstrap(url, tmp_path):
    env = {**os.environ, **make_env(ENCV_DATA_DIR=str(tmp_path)), "DATABASE_URL": url}
    out = subprocess.run(
        [sys.executable, "-m", "encv.cli", "bootstrap", "--demo", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout)


def test_bootstrap_prints_the_contract_and_refreshes_credentials(fresh_db, tmp_path):
    first = _bootstrap(fresh_db, tmp_path)
    second = _bootstrap(fresh_db, tmp_path)
    assert set(first) == KEYS
    assert set(first["system_admin"]) == {"email", "password"}
    assert first["realm_id"] == second["realm_id"]
    assert first["region_code"] == "US-DEMO"
    for key in ("admin_api_key", "device_api_key", "stats_api_key"):
        assert first[key] != second[key]
    assert first["realm_admin"]["password"] != second["realm_admin"]["password"]

    from db.pool import SingleConnectionSource
    from models.accounts.passwords import verify_password
    from models.realms.apikeys import authenticate
    from models.services import build_services
    from models.settings import Settings

    with psycopg.connect(fresh_db, autocommit=True) as conn:
        svc = build_services(
            Settings.from_env(make_env()), db=SingleConnectionSource(conn)
        )
        for key, kind in (
            ("admin_api_key", 1),
            ("device_api_key", 0),
            ("stats_api_key", 2),
        ):
            app = authenticate(conn, svc.secrets, second[key])
            assert app is not None and app.api_key_type == kind
            assert app.realm_id == second["realm_id"]
            # The previous call's keys no longer work.
            assert authenticate(conn, svc.secrets, first[key]) is None
        for who in ("system_admin", "realm_admin"):
            stored = conn.execute(
                "SELECT password_hash FROM users WHERE email = %s",
                (second[who]["email"],),
            ).fetchone()[0]
            assert verify_password(stored, second[who]["password"])
            assert not verify_password(stored, first[who]["password"])
        realm = conn.execute(
            "SELECT allowed_test_types, allow_bulk_upload, abuse_prevention_enabled,"
            " enable_en_express FROM realms WHERE id = %s",
            (second["realm_id"],),
        ).fetchone()
        assert realm == (30, True, False, True)
        apps = conn.execute(
            "SELECT os FROM mobile_apps WHERE realm_id = %s ORDER BY os",
            (second["realm_id"],),
        ).fetchall()
        assert [a[0] for a in apps] == [1, 2]
