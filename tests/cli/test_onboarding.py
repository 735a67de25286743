"""Onboarding a health authority from the command line (design.md §3), end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import psycopg
import pytest

from tests.support import gunicorn, make_env

pytestmark = pytest.mark.slow


def _env(url, tmp_path, **extra):
    return {
        **os.environ,
        **make_env(ENCV_DATA_DIR=str(tmp_path), **extra),
        "DATABASE_URL": url,
    }


def _encv(env, *argv):
    return subprocess.run(
        [sys.executable, "-m", "encv.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _json(env, *argv) -> dict:
    out = _encv(env, *argv, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _post(url, key, body) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-API-Key": key},
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        return json.loads(resp.read())


def test_onboard_a_realm_and_exchange_a_code(fresh_db, tmp_path):
    env = _env(fresh_db, tmp_path, SERVER_ENDPOINT="https://verify.example.org")
    realm = _json(
        env, "realm", "create", "Health Authority of Utopia", "--region", "ut-n"
    )
    assert set(realm) == {"realm_id", "realm_name", "region_code"}
    assert realm["realm_name"] == "Health Authority of Utopia"
    assert realm["region_code"] == "UT-N"
    rid = str(realm["realm_id"])

    admin = _json(
        env, "user", "add", "ada@utopia.example", "--realm", rid, "--role", "admin"
    )
    assert set(admin) == {"user_id", "email", "realm_id", "set_password_url"}
    assert admin["realm_id"] == realm["realm_id"]
    assert admin["set_password_url"].startswith(
        "https://verify.example.org/login/manage-account?mode=resetPassword&oobCode="
    )
    device = _json(env, "apikey", "create", "--realm", rid, "--type", "device", "App")
    issuer = _json(env, "apikey", "create", "--realm", rid, "--type", "admin", "Lab")
    assert set(device) == {"api_key", "realm_id", "type", "name"}
    assert (device["type"], device["name"], issuer["type"]) == (
        "device",
        "App",
        "admin",
    )
    sysadmin = _json(env, "admin", "create-system-admin", "ops@utopia.example")
    assert sysadmin["realm_id"] is None and sysadmin["set_password_url"]

    with psycopg.connect(fresh_db) as conn:
        actions = conn.execute(
            "SELECT realm_id, action FROM audit_entries WHERE actor_id = 'system:1'"
            " ORDER BY id"
        ).fetchall()
        perms = conn.execute(
            "SELECT permissions FROM memberships WHERE user_id = %s",
            (admin["user_id"],),
        ).fetchone()[0]
    realm_id = realm["realm_id"]
    assert actions == [
        (realm_id, "created realm"),
        (realm_id, "created user"),
        (realm_id, "added user to realm"),
        (realm_id, "created API key"),
        (realm_id, "created API key"),
        (0, "granted system admin"),
    ]
    assert perms == 32766  # LegacyRealmAdmin

    stack = make_env(DATABASE_URL=fresh_db, ENCV_DATA_DIR=str(tmp_path))
    with gunicorn("api.admin.app:get_app()", stack, workers=1) as adminapi:
        issued = _post(
            adminapi + "/api/issue",
            issuer["api_key"],
            {"testType": "confirmed", "symptomDate": _today()},
        )
    assert issued["code"], issued
    with gunicorn("api.device.app:get_app()", stack, workers=1) as apiserver:
        verified = _post(
            apiserver + "/api/verify", device["api_key"], {"code": issued["code"]}
        )
    assert verified["testtype"] == "confirmed" and verified["token"]


def _today() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).date().isoformat()


BAD = [
    (["realm", "create", "Second", "--region", "UT-N"], "already exists"),
    (["realm", "create", "First", "--region", "UT-S"], "already exists"),
    (["realm", "create", "Third", "--region", ""], "region code cannot be blank"),
    (["realm", "create", "Third", "--region", "not a region!"], "is invalid"),
    (["realm", "create", "  ", "--region", "UT-E"], "name cannot be blank"),
    (
        ["user", "add", "a@b.example", "--realm", "9999", "--role", "admin"],
        "unknown realm",
    ),
    (
        ["user", "add", "not-an-email", "--realm", "{rid}", "--role", "admin"],
        "email must contain @",
    ),
    (
        ["user", "add", "a@b.example", "--realm", "{rid}", "--role", "owner"],
        "invalid role",
    ),
    (["apikey", "create", "--realm", "9999", "--type", "device", "K"], "unknown realm"),
    (["apikey", "create", "--realm", "{rid}", "--type", "root", "K"], "invalid type"),
    (["admin", "create-system-admin", "nobody"], "not a valid email"),
]


def test_bad_input_exits_non_zero_with_one_line(fresh_db, tmp_path):
    env = _env(fresh_db, tmp_path)
    rid = str(_json(env, "realm", "create", "First", "--region", "UT-N")["realm_id"])
    with psycopg.connect(fresh_db) as conn:
        before = conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
    for argv, message in BAD:
        out = _encv(env, *[a.replace("{rid}", rid) for a in argv])
        assert out.returncode != 0, argv
        assert out.stdout == "", argv
        last = out.stderr.strip().splitlines()[-1]
        assert message in last, (argv, out.stderr)
        if out.returncode == 1:  # domain errors: exactly one line
            assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    with psycopg.connect(fresh_db) as conn:
        after = conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
        realms = conn.execute("SELECT count(*) FROM realms").fetchone()[0]
    assert after == before and realms == 2  # Default + First
