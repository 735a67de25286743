import csv
import datetime as dt
import io
import re

import pytest

from models.stats import rows as stats_rows

TODAY = dt.datetime.now(dt.UTC).date()

CSV_HEADERS = {
    "realm": stats_rows.REALM_CSV,
    "realm/composite": stats_rows.COMPOSITE_CSV,
    "realm/key-server": stats_rows.KEY_SERVER_CSV,
    "realm/users": "date,realm_id,user_id,name,email,codes_issued".split(","),
    "realm/external-issuers": "date,realm_id,issuer_id,codes_issued".split(","),
    "realm/sms-errors": "date,realm_id,error_code,quantity".split(","),
}


@pytest.fixture
def stats_api(make_api, conn):
    api = make_api("Stats Realm")
    for _ in range(2):
        api.post("/api/issue", {"testType": "confirmed", "externalIssuerID": "lab-7"})
    user_id = conn.execute(
        "INSERT INTO users (email, name) VALUES ('ann@x.org', 'Ann O''Neil')"
        " RETURNING id"
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO memberships (realm_id, user_id) VALUES (%(r)s, %(u)s)",
        {"r": api.realm_id, "u": user_id},
    )
    conn.execute(
        "INSERT INTO user_stats (date, realm_id, user_id, codes_issued)"
        " VALUES (%(d)s, %(r)s, %(u)s, 4)",
        {"d": TODAY - dt.timedelta(days=3), "r": api.realm_id, "u": user_id},
    )
    conn.execute(
        "UPDATE realm_stats SET codes_claimed = 1, user_reports_invalid_nonce = 2,"
        " code_claim_age_distribution = '{1,0,0,0,0,0,0,0,0,0,0}'"
        " WHERE realm_id = %(r)s",
        {"r": api.realm_id},
    )
    conn.execute(
        "INSERT INTO sms_error_stats (date, realm_id, error_code, quantity)"
        " VALUES (%(d)s, %(r)s, '30003', 2)",
        {"d": TODAY, "r": api.realm_id},
    )
    api.user_id = user_id
    return api


def _csv(resp) -> list[list[str]]:
    return list(csv.reader(io.StringIO(resp.text)))


def test_realm_json(stats_api):
    resp = stats_api.get("/api/stats/realm.json")
    assert resp.status_code == 200
    body = resp.json
    assert body["realm_id"] == stats_api.realm_id
    stats = body["statistics"]
    assert len(stats) == 91
    assert stats[0]["date"] == f"{TODAY.isoformat()}T00:00:00Z"
    assert [s["date"] for s in stats] == sorted(
        (s["date"] for s in stats), reverse=True
    )
    today = stats[0]["data"]
    assert today["codes_issued"] == 2 and today["codes_claimed"] == 1
    assert today["code_claim_age_distribution"] == [1] + [0] * 10
    assert today["user_reports_invalid_nonce_by_os"] == {
        "unknown_os": 2,
        "ios": 0,
        "android": 0,
    }
    assert stats[1]["data"]["code_claim_age_distribution"] == []


@pytest.mark.parametrize("name", sorted(CSV_HEADERS))
def test_csv_reports_parse_with_the_spec_columns(stats_api, name):
    resp = stats_api.get(f"/api/stats/{name}.csv")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv"
    disposition = resp.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment;filename=\d{14}-[a-z0-9-]+\.csv", disposition)
    rows = _csv(resp)
    assert rows[0] == CSV_HEADERS[name]
    assert len(rows) > 1
    assert all(len(row) == len(rows[0]) for row in rows)


def test_realm_csv_values(stats_api):
    rows = _csv(stats_api.get("/api/stats/realm.csv"))
    today = dict(zip(rows[0], rows[1], strict=True))
    assert today["date"] == TODAY.isoformat()
    assert today["codes_issued"] == "2"
    assert today["code_claim_age_distribution"] == "1|0|0|0|0|0|0|0|0|0|0"


def test_key_server_is_served_without_configuration(stats_api):
    body = stats_api.get("/api/stats/realm/key-server.json").json
    assert isinstance(body, list) and len(body) == 91
    assert body[0]["publish_requests"] == {"unknown": 0, "android": 0, "ios": 0}
    assert body[0]["tek_age_distribution"] == [0] * 16
    assert len(body[0]["onset_to_upload_distribution"]) == 30


def test_composite_without_key_server(stats_api):
    body = stats_api.get("/api/stats/realm/composite.json").json
    assert body["has_key_server_stats"] is False
    data = body["statistics"][0]["data"]
    assert data["day"] == "0001-01-01T00:00:00Z"
    assert data["tek_age_distribution"] is None
    assert data["codes_issued"] == 2


def test_composite_with_key_server_days(stats_api, conn):
    conn.execute(
        "INSERT INTO key_server_stats (realm_id) VALUES (%(r)s)",
        {"r": stats_api.realm_id},
    )
    conn.execute(
        "INSERT INTO key_server_stats_days (realm_id, day, publish_requests,"
        " total_teks_published) VALUES (%(r)s, %(d)s, '{1,2,3}', 9)",
        {"r": stats_api.realm_id, "d": dt.datetime.combine(TODAY, dt.time(), dt.UTC)},
    )
    body = stats_api.get("/api/stats/realm/composite.json").json
    assert body["has_key_server_stats"] is True
    data = body["statistics"][0]["data"]
    assert data["total_publish_requests"] == 6
    assert data["publish_requests"] == {"unknown": 1, "android": 2, "ios": 3}


def test_users_and_one_user(stats_api):
    body = stats_api.get("/api/stats/realm/users.json").json
    day = next(s for s in body["statistics"] if s["issuer_data"][0]["codes_issued"])
    assert day["issuer_data"][0]["name"] == "Ann O'Neil"
    one = stats_api.get(f"/api/stats/realm/users/{stats_api.user_id}.json").json
    assert one["user_email"] == "ann@x.org"
    assert sum(s["data"]["codes_issued"] for s in one["statistics"]) == 4
    resp = stats_api.get(f"/api/stats/realm/users/{stats_api.user_id}.csv")
    assert resp.headers["Content-Disposition"].endswith("-ann-o-neil.csv")
    assert _csv(resp)[
        0
    ] == "date,realm_id,user_id,user_name,user_email,codes_issued".split(",")


def test_api_key_stats(stats_api):
    body = stats_api.get(f"/api/stats/realm/api-keys/{stats_api.app_id}.json").json
    assert body["authorized_app_type"] == "admin"
    assert body["statistics"][0]["data"]["codes_issued"] == 2
    rows = _csv(stats_api.get(f"/api/stats/realm/api-keys/{stats_api.app_id}.csv"))
    assert rows[0][:4] == [
        "date",
        "authorized_app_id",
        "authorized_app_name",
        "authorized_app_type",
    ]


def test_external_issuers_and_sms_errors(stats_api):
    ext = stats_api.get("/api/stats/realm/external-issuers.json").json
    assert ext["statistics"][0]["issuer_data"] == [
        {"issuer_id": "lab-7", "codes_issued": 2}
    ]
    errs = stats_api.get("/api/stats/realm/sms-errors.json").json
    assert errs["statistics"][0]["error_data"] == [
        {"error_code": "30003", "quantity": 2}
    ]


def test_unknown_objects_are_401_and_empty_data_is_empty(make_api, stats_api):
    assert stats_api.get("/api/stats/realm/users/999999.json").status_code == 401
    assert stats_api.get("/api/stats/realm/api-keys/999999.json").status_code == 401
    empty = make_api("Empty Realm")
    assert empty.get("/api/stats/realm.json").json == {}
    resp = empty.get("/api/stats/realm/sms-errors.csv")
    assert resp.status_code == 200 and resp.text == ""


def test_stats_need_a_stats_key(stats_api):
    assert (
        stats_api.get("/api/stats/realm.json", key=stats_api.admin_key).status_code
        == 401
    )
    assert stats_api.get("/api/stats/realm.xml").status_code == 404
