"""The ``/stats/realm/**`` exports of the web UI: shapes, names, permissions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest

from models.accounts.rbac import LEGACY_REALM_ADMIN, Permission
from models.stats.rows import COMPOSITE_CSV, KEY_SERVER_CSV, REALM_CSV
from tests.stats_seed import demo_ids, seed_week

REALM_DATA_KEYS = {
    "codes_issued",
    "codes_claimed",
    "codes_invalid",
    "codes_invalid_by_os",
    "user_reports_issued",
    "user_reports_claimed",
    "user_reports_invalid_nonce",
    "user_reports_invalid_nonce_by_os",
    "tokens_claimed",
    "tokens_invalid",
    "user_report_tokens_claimed",
    "code_claim_mean_age_seconds",
    "code_claim_age_distribution",
}
# (path without extension, CSV file stem, CSV header) of the realm-wide exports
REALM_EXPORTS = [
    ("/stats/realm", "realm-stats", REALM_CSV),
    ("/stats/realm/composite", "composite-stats", COMPOSITE_CSV),
    (
        "/stats/realm/users",
        "user-stats",
        "date,realm_id,user_id,name,email,codes_issued",
    ),
    (
        "/stats/realm/external-issuers",
        "external-issuer-stats",
        "date,realm_id,issuer_id,codes_issued",
    ),
    ("/stats/realm/sms-errors", "sms-error-stats", "date,realm_id,error_code,quantity"),
    ("/stats/realm/key-server", "key-server-stats", KEY_SERVER_CSV),
]
USER_CSV = "date,realm_id,user_id,user_name,user_email,codes_issued".split(",")
APP_CSV = (
    "date,authorized_app_id,authorized_app_name,authorized_app_type,codes_issued,"
    "codes_claimed,codes_invalid,tokens_claimed,tokens_invalid"
).split(",")


def _header(spec) -> list[str]:
    return spec.split(",") if isinstance(spec, str) else list(spec)


def _csv(result) -> list[list[str]]:
    assert result.status_code == 200, result.text
    assert result.headers["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(result.text)))


def _json(result):
    assert result.status_code == 200, result.text
    assert result.headers["Content-Type"].startswith("application/json")
    return json.loads(result.text)


def _filename(result) -> str:
    found = re.fullmatch(
        r"attachment;filename=(\d{14})-(.+)\.csv", result.headers["Content-Disposition"]
    )
    assert found, result.headers["Content-Disposition"]
    return found.group(2)


def _set_permissions(conn, demo, permissions: int) -> None:
    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (permissions, demo.realm_id),
    )


@pytest.fixture
def ids(conn, demo):
    return demo_ids(conn, demo.realm_id)


def test_empty_realm_exports(signed_in, ids):
    user_id, app_id = ids
    for path, stem, header in REALM_EXPORTS:
        result = signed_in.get(path + ".csv")
        rows = _csv(result)
        assert _filename(result) == stem
        if stem == "key-server-stats":
            # Served even without key-server data: 91 zero days.
            assert rows[0] == _header(header) and len(rows) == 92
            assert _json(signed_in.get(path + ".json"))[0]["total_teks_published"] == 0
        else:
            assert rows == [], path
            assert _json(signed_in.get(path + ".json")) == {}, path
    user = _json(signed_in.get(f"/stats/realm/users/{user_id}.json"))
    assert len(user["statistics"]) == 91
    assert {s["data"]["codes_issued"] for s in user["statistics"]} == {0}
    app_rows = _csv(signed_in.get(f"/stats/realm/api-keys/{app_id}.csv"))
    assert app_rows[0] == APP_CSV and len(app_rows) == 92


def test_week_of_activity_exports(signed_in, conn, demo, clock):
    today = clock.now().astimezone(dt.UTC).date()
    seeded = seed_week(conn, demo.realm_id, today)

    body = _json(signed_in.get("/stats/realm.json"))
    assert body["realm_id"] == demo.realm_id and len(body["statistics"]) == 91
    dates = [s["date"] for s in body["statistics"]]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == f"{today.isoformat()}T00:00:00Z"
    for entry in body["statistics"]:
        assert set(entry["data"]) == REALM_DATA_KEYS
        assert set(entry["data"]["codes_invalid_by_os"]) == {
            "unknown_os",
            "ios",
            "android",
        }
    data = [s["data"] for s in body["statistics"]]
    assert sum(d["codes_issued"] for d in data) == seeded.codes_issued
    assert sum(d["codes_claimed"] for d in data) == seeded.codes_claimed
    assert sum(d["tokens_claimed"] for d in data) == seeded.tokens_claimed
    assert sum(sum(d["codes_invalid_by_os"].values()) for d in data) == 7
    assert len(data[0]["code_claim_age_distribution"]) == 11

    rows = _csv(signed_in.get("/stats/realm.csv"))
    assert rows[0] == REALM_CSV and len(rows) == 92
    assert sum(int(r[1]) for r in rows[1:]) == seeded.codes_issued
    assert rows[1][0] == today.isoformat()
    assert len(rows[1][7].split("|")) == 11

    composite = _json(signed_in.get("/stats/realm/composite.json"))
    assert composite["has_key_server_stats"] is False
    assert composite["statistics"][0]["data"]["total_publish_requests"] == 0
    comp_rows = _csv(signed_in.get("/stats/realm/composite.csv"))
    assert comp_rows[0] == COMPOSITE_CSV
    assert sum(int(r[1]) for r in comp_rows[1:] if r[1]) == seeded.codes_issued

    users = _json(signed_in.get("/stats/realm/users.json"))
    issued = [i for s in users["statistics"] for i in s["issuer_data"]]
    assert {i["user_id"] for i in issued} == {seeded.user_id}
    assert sum(i["codes_issued"] for i in issued) == seeded.user_codes
    user_rows = _csv(signed_in.get("/stats/realm/users.csv"))
    assert sum(int(r[5]) for r in user_rows[1:]) == seeded.user_codes

    issuers = _csv(signed_in.get("/stats/realm/external-issuers.csv"))
    assert {r[2] for r in issuers[1:]} == {"lab-1"} and len(issuers) == 8
    errors = _json(signed_in.get("/stats/realm/sms-errors.json"))
    assert [e["error_data"] for e in errors["statistics"]][0] == [
        {"error_code": "30003", "quantity": 1}
    ]

    one = signed_in.get(f"/stats/realm/users/{seeded.user_id}.csv")
    assert _filename(one) == "demo-realm-admin"
    one_rows = _csv(one)
    assert one_rows[0] == USER_CSV
    assert sum(int(r[5]) for r in one_rows[1:]) == seeded.user_codes

    app = _json(signed_in.get(f"/stats/realm/api-keys/{seeded.app_id}.json"))
    assert app["authorized_app_type"] == "device"
    app_data = [s["data"] for s in app["statistics"]]
    assert sum(d["tokens_claimed"] for d in app_data) == seeded.tokens_claimed
    assert sum(d["codes_invalid"] for d in app_data) == seeded.codes_invalid
    app_rows = _csv(signed_in.get(f"/stats/realm/api-keys/{seeded.app_id}.csv"))
    assert app_rows[0] == APP_CSV
    assert sum(int(r[7]) for r in app_rows[1:]) == seeded.tokens_claimed


def test_csv_cells_cannot_start_formulas(signed_in, conn, demo, clock):
    today = clock.now().astimezone(dt.UTC).date()
    seeded = seed_week(conn, demo.realm_id, today, issuer="=HYPERLINK(1)")
    conn.execute("UPDATE users SET name = '@SUM(A1)' WHERE id = %s", (seeded.user_id,))
    issuers = _csv(signed_in.get("/stats/realm/external-issuers.csv"))
    assert {r[2] for r in issuers[1:]} == {"'=HYPERLINK(1)"}
    users = _csv(signed_in.get("/stats/realm/users.csv"))
    assert {r[3] for r in users[1:]} == {"'@SUM(A1)"}
    # JSON carries the values as they are.
    body = _json(signed_in.get("/stats/realm/external-issuers.json"))
    assert body["statistics"][0]["issuer_data"][0]["issuer_id"] == "=HYPERLINK(1)"


def _all_export_paths(user_id, app_id):
    paths = [path for path, _, _ in REALM_EXPORTS]
    paths += [f"/stats/realm/users/{user_id}", f"/stats/realm/api-keys/{app_id}"]
    return [p + ext for p in paths for ext in (".csv", ".json")]


def test_every_export_refuses_a_member_without_stats_read(signed_in, conn, demo, ids):
    # Everything but StatsRead, UserRead and APIKeyRead (the alternatives).
    _set_permissions(
        conn,
        demo,
        int(LEGACY_REALM_ADMIN)
        & ~(
            Permission.STATS_READ
            | Permission.USER_READ
            | Permission.USER_WRITE
            | Permission.API_KEY_READ
            | Permission.API_KEY_WRITE
        ),
    )
    for path in _all_export_paths(*ids):
        result = signed_in.get(path)
        assert result.status_code == 401, path
        assert "codes_issued" not in result.text
    assert signed_in.get("/realm/stats").status_code == 401


def test_stats_read_alone_opens_every_export(signed_in, conn, demo, ids):
    _set_permissions(conn, demo, int(Permission.STATS_READ))
    for path in _all_export_paths(*ids):
        assert signed_in.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("permission", "allowed"),
    [
        (Permission.USER_READ, {"users/{u}", "key-server"}),
        (Permission.API_KEY_READ, {"api-keys/{a}"}),
    ],
)
def test_listed_alternatives_open_only_their_exports(
    signed_in, conn, demo, ids, permission, allowed
):
    user_id, app_id = ids
    _set_permissions(conn, demo, int(permission))
    opened = {p.format(u=user_id, a=app_id) for p in allowed}
    for path in _all_export_paths(user_id, app_id):
        stem = path.removeprefix("/stats/realm/").rsplit(".", 1)[0]
        expected = 200 if stem in opened else 401
        assert signed_in.get(path).status_code == expected, path


def test_users_and_keys_outside_the_realm_are_401(signed_in, conn, demo, ids):
    other = conn.execute(
        "INSERT INTO realms (name) VALUES ('Elsewhere') RETURNING id"
    ).fetchone()[0]
    app = conn.execute(
        "INSERT INTO authorized_apps (realm_id, name, api_key_preview, api_key,"
        " api_key_type) VALUES (%s, 'theirs', 'abc', 'x-other', 0) RETURNING id",
        (other,),
    ).fetchone()[0]
    stranger = conn.execute(
        "INSERT INTO users (email, name) VALUES ('s@example.com', 'S') RETURNING id"
    ).fetchone()[0]
    for path in (
        f"/stats/realm/api-keys/{app}.json",
        f"/stats/realm/users/{stranger}.csv",
        "/stats/realm/users/999999.json",
    ):
        assert signed_in.get(path).status_code == 401, path
    assert signed_in.get("/stats/realm.xml").status_code == 404


def test_anonymous_download_goes_to_sign_in(browser, demo):
    result = browser.get("/stats/realm.csv")
    assert result.status_code == 303 and result.headers["Location"].endswith("/")
    result = browser.get("/stats/realm.json", headers={"Accept": "application/json"})
    assert result.status_code == 401
