import datetime as dt

import pytest

from db.queries.realms import core as realm_q
from models.codes.issue import Issuer, IssueRequest, rfc1123
from models.errors import DomainError, ErrorCode
from tests.issuing import (
    TODAY,
    count,
    days_ago,
    make_key,
    make_realm,
    realm_codes,
)
from tests.support import vectors


@pytest.mark.parametrize("entry", vectors("rfc1123_timestamps"))
def test_rfc1123_vectors(entry):
    at = dt.datetime.fromtimestamp(entry["unix_seconds"], dt.UTC)
    assert rfc1123(at) == entry["expected_rfc1123"]


def _vector_request(raw: dict, existing_uuid: str) -> IssueRequest:
    return IssueRequest(
        test_type=raw.get("testType", ""),
        symptom_date=(
            days_ago(raw["symptomDate_days_ago"])
            if "symptomDate_days_ago" in raw
            else raw.get("symptomDate", "")
        ),
        test_date=(
            days_ago(raw["testDate_days_ago"])
            if "testDate_days_ago" in raw
            else raw.get("testDate", "")
        ),
        phone=raw.get("phone", ""),
        only_generate_sms=raw.get("onlyGenerateSMS", False),
        uuid=existing_uuid if "uuid" in raw else "",
    )


@pytest.mark.parametrize(
    "entry", vectors("issue_build_validation"), ids=lambda e: e["name"]
)
def test_issue_validation_vectors(conn, services, issuer_svc, entry):
    realm_id = make_realm(
        conn,
        "Vectors",
        allowed_test_types=2,
        allow_generated_sms=True,
        require_date=True,
    )
    realm = realm_q.get_realm(conn, realm_id)
    _, app_id = make_key(conn, services, realm_id)
    issuer = Issuer.for_api_key(app_id, "pha")
    existing = issuer_svc.issue(
        realm, issuer, IssueRequest(test_type="confirmed", test_date=days_ago(1))
    )
    request = _vector_request(entry["request"], existing.uuid)
    if entry["expected_status"] == 200:
        result = issuer_svc.issue(realm, issuer, request)
        assert len(result.code) == 8
        if "expected_property" in entry:
            assert result.long_expires_at - result.expires_at > dt.timedelta(seconds=1)
        return
    before = realm_codes(conn, realm_id)
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(realm, issuer, request)
    assert info.value.status == entry["expected_status"]
    assert info.value.code == entry["expected_error_code"]
    assert realm_codes(conn, realm_id) == before


def test_issue_stores_counts_and_audits(conn, issuer_svc, realm, admin):
    result = issuer_svc.issue(
        realm,
        admin,
        IssueRequest(
            test_type="Confirmed", symptom_date=days_ago(2), external_issuer_id="ext-1"
        ),
    )
    assert result.code.isdigit() and len(result.code) == 8
    assert result.long_expires_at == result.expires_at  # no SMS, no long code use
    assert result.expires_at - dt.datetime.now(dt.UTC) < dt.timedelta(minutes=16)
    row = conn.execute(
        "SELECT test_type, issuing_app_id, issuing_external_id, symptom_date::date"
        " FROM verification_codes WHERE uuid = %(u)s",
        {"u": result.uuid},
    ).fetchone()
    assert row == ("confirmed", admin.app_id, "ext-1", TODAY - dt.timedelta(days=2))
    assert (
        count(
            conn,
            "SELECT codes_issued FROM realm_stats_daily WHERE realm_id=%(r)s",
            r=realm.id,
        )
        == 1
    )
    assert (
        count(
            conn,
            "SELECT codes_issued FROM authorized_app_stats_daily WHERE authorized_app_id=%(a)s",
            a=admin.app_id,
        )
        == 1
    )
    assert (
        count(
            conn,
            "SELECT codes_issued FROM external_issuer_stats WHERE issuer_id='ext-1'",
        )
        == 1
    )
    action, actor = conn.execute(
        "SELECT action, actor_id FROM audit_entries WHERE target_display = %(u)s",
        {"u": result.uuid},
    ).fetchone()
    assert action == "issued verification code"
    assert actor == f"authorized_apps:{admin.app_id}"


def test_user_issuer_counts_user_stats(conn, issuer_svc, realm):
    user_id = count(
        conn, "INSERT INTO users (email, name) VALUES ('cw@x.org', 'CW') RETURNING id"
    )
    issuer = Issuer.for_user(user_id, "CW", "cw@x.org")
    result = issuer_svc.issue(realm, issuer, IssueRequest(test_type="likely"))
    assert (
        count(
            conn,
            "SELECT issuing_user_id FROM verification_codes WHERE uuid=%(u)s",
            u=result.uuid,
        )
        == user_id
    )
    assert (
        count(
            conn, "SELECT codes_issued FROM user_stats WHERE user_id=%(u)s", u=user_id
        )
        == 1
    )


def test_client_uuid_is_echoed_and_reuse_is_409(conn, issuer_svc, realm, admin):
    client_uuid = "  8F0E0B5C-6A4B-4D5E-9F00-0123456789AB "
    result = issuer_svc.issue(
        realm, admin, IssueRequest(test_type="confirmed", uuid=client_uuid)
    )
    assert result.uuid == client_uuid.strip()
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(
            realm, admin, IssueRequest(test_type="confirmed", uuid=client_uuid)
        )
    assert (info.value.status, info.value.code) == (409, "uuid_already_exists")
    assert info.value.message == f"code for {client_uuid.strip()} already exists"


def test_uuid_of_another_realm_is_not_revealed(
    conn, services, issuer_svc, realm, admin
):
    other = realm_q.get_realm(conn, make_realm(conn, "Other", region_code="US-OR"))
    _, other_app = make_key(conn, services, other.id, name="o")
    taken = issuer_svc.issue(
        other, Issuer.for_api_key(other_app, "o"), IssueRequest(test_type="confirmed")
    )
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(
            realm, admin, IssueRequest(test_type="confirmed", uuid=taken.uuid)
        )
    assert (info.value.status, info.value.code) == (500, "internal_server_error")


def test_invalid_client_uuid_is_unparsable(issuer_svc, realm, admin):
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(realm, admin, IssueRequest(test_type="confirmed", uuid="x"))
    assert info.value.code == ErrorCode.UNPARSABLE_REQUEST
