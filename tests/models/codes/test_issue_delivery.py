"""Issuing with SMS, user reports, quota, collisions and batches."""

import base64
import datetime as dt
import os

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from db.queries.realms import core as realm_q
from db.quota import MemoryQuotaStore
from models.codes import sms
from models.codes.issue import Issuer, IssueRequest, IssueService
from models.codes.quota import QuotaExceeded, RealmQuota
from models.errors import DomainError, ErrorCode
from tests.issuing import (
    add_sms_config,
    add_sms_signing_key,
    count,
    days_ago,
    make_key,
    make_realm,
    realm_codes,
)


def test_sms_is_sent_with_the_long_code(
    conn, services, fake_sms, issuer_svc, realm, admin
):
    add_sms_config(conn, services, realm.id, token="tok-1")
    result = issuer_svc.issue(
        realm, admin, IssueRequest(test_type="confirmed", phone="(206) 867-5309")
    )
    [msg] = fake_sms.messages
    assert msg.to == "+12068675309" and msg.sender == "+15005550006"
    assert msg.auth[1] == "tok-1"
    assert msg.body.startswith("This is your Exposure Notifications Verification code:")
    assert msg.body.endswith("Expires in 24 hours")
    assert result.code not in msg.body  # the default template carries the long code
    assert result.long_expires_at - result.expires_at == dt.timedelta(
        seconds=86400 - 900
    )
    assert result.generated_sms == ""


@pytest.mark.parametrize(
    ("mode", "code", "provider_code"),
    [
        ("queue_full", "sms_queue_full", "21611"),
        ("invalid_number", "phone_number_invalid", "21211"),
        ("hang", "sms_failure", None),
    ],
)
def test_failed_sms_removes_the_code(
    conn, services, fake_sms, issuer_svc, realm, admin, mode, code, provider_code
):
    add_sms_config(conn, services, realm.id)
    fake_sms.mode, fake_sms.hang_seconds = mode, 2
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(
            realm, admin, IssueRequest(test_type="confirmed", phone="2068675309")
        )
    assert (info.value.status, info.value.code) == (400, code)
    assert realm_codes(conn, realm.id) == 0
    assert (
        count(conn, "SELECT count(*) FROM realm_stats WHERE realm_id=%(r)s", r=realm.id)
        == 0
    )
    errors = conn.execute(
        "SELECT error_code, quantity FROM sms_error_stats WHERE realm_id=%(r)s",
        {"r": realm.id},
    ).fetchall()
    assert errors == ([(provider_code, 1)] if provider_code else [])


def test_only_generate_sms_returns_signed_text(
    conn, services, fake_sms, issuer_svc, admin
):
    realm_id = make_realm(
        conn, "Signed", allow_generated_sms=True, use_authenticated_sms=True
    )
    realm = realm_q.get_realm(conn, realm_id)
    kid, public = add_sms_signing_key(conn, services, realm_id)
    result = issuer_svc.issue(
        realm,
        admin,
        IssueRequest(test_type="confirmed", phone="2068675309", only_generate_sms=True),
    )
    assert fake_sms.messages == []
    assert result.phone == "+12068675309"
    body, mmdd, got_kid, sig = result.generated_sms.rsplit(":", 3)
    assert got_kid == kid and body.endswith(" \nAuthentication")
    now = dt.datetime.now(dt.UTC)
    signed = f"EN Report.+12068675309.{now:%Y-%m-%d}.{body}:"
    public.verify(
        base64.b64decode(sig + "=" * (-len(sig) % 4)),
        signed.encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    assert mmdd == now.strftime("%m%d")
    assert result.wire()["generatedSMS"] == result.generated_sms


def test_signing_enabled_without_a_key_sends_nothing(
    conn, services, fake_sms, issuer_svc, admin
):
    realm = realm_q.get_realm(
        conn, make_realm(conn, "NoKey", use_authenticated_sms=True)
    )
    add_sms_config(conn, services, realm.id)
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(
            realm, admin, IssueRequest(test_type="confirmed", phone="2068675309")
        )
    assert (info.value.status, info.value.code) == (500, "sms_failure")
    assert fake_sms.messages == [] and realm_codes(conn, realm.id) == 0


def test_unknown_template_label_is_refused(conn, services, issuer_svc, admin):
    realm = realm_q.get_realm(
        conn,
        make_realm(conn, "Labels", alternate_sms_templates='{"Spanish": "[code] es"}'),
    )
    add_sms_config(conn, services, realm.id)
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(
            realm,
            admin,
            IssueRequest(
                test_type="confirmed", phone="2068675309", sms_template_label="X"
            ),
        )
    assert info.value.message == "no template found for label X"


def test_user_report_once_per_phone(conn, services, fake_sms, issuer_svc):
    realm = realm_q.get_realm(conn, make_realm(conn, "UR"))
    add_sms_config(conn, services, realm.id)
    _, device = make_key(conn, services, realm.id, name="app")
    issuer = Issuer.for_user_report(device, "app", os.urandom(256))
    request = IssueRequest(
        test_type="user-report", symptom_date=days_ago(1), phone="2068675309"
    )
    first = issuer_svc.issue(realm, issuer, request)
    assert first.long_expires_at == first.expires_at
    [msg] = fake_sms.messages
    assert msg.body.startswith(
        f"Your requested Exposure Notifications code: {first.code}"
    )
    assert msg.sender == "+15005550007"
    again = issuer_svc.issue(realm, issuer, request)
    assert again.duplicate_report and again.wire() == {
        "expiresAt": "",
        "expiresAtTimestamp": 0,
    }
    assert len(fake_sms.messages) == 1
    assert (
        count(
            conn,
            "SELECT user_reports_issued FROM realm_stats_daily WHERE realm_id=%(r)s",
            r=realm.id,
        )
        == 1
    )


def test_user_report_nonce_must_be_256_bytes(conn, services, issuer_svc):
    realm = realm_q.get_realm(conn, make_realm(conn, "UR2"))
    add_sms_config(conn, services, realm.id)
    issuer = Issuer.for_user_report(1, "app", b"short")
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(
            realm, issuer, IssueRequest(test_type="user-report", phone="2068675309")
        )
    assert info.value.code == ErrorCode.MISSING_NONCE


def test_admin_user_report_needs_the_realm_switch(conn, services, issuer_svc, admin):
    realm = realm_q.get_realm(conn, make_realm(conn, "UR3"))
    add_sms_config(conn, services, realm.id)
    request = IssueRequest(test_type="User-Report", phone="2068675309")
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(realm, admin, request)
    assert info.value.code == ErrorCode.UNSUPPORTED_TEST_TYPE
    allowed = realm_q.get_realm(
        conn, make_realm(conn, "UR4", region_code="US-X", allow_admin_user_report=True)
    )
    add_sms_config(conn, services, allowed.id)
    assert issuer_svc.issue(allowed, admin, request).code
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(allowed, admin, IssueRequest(test_type="user-report"))
    assert info.value.code == ErrorCode.MISSING_PHONE


def test_realm_maintenance_blocks_issue(conn, issuer_svc, admin):
    realm = realm_q.get_realm(conn, make_realm(conn, "Maint", maintenance_mode=True))
    with pytest.raises(DomainError) as info:
        issuer_svc.issue(realm, admin, IssueRequest(test_type="confirmed"))
    assert (info.value.status, info.value.code) == (429, "maintenance_mode")


def _quota_realm(conn, limit, factor=1.0):
    realm_id = make_realm(
        conn,
        f"Quota{limit}",
        region_code=f"Q{limit}",
        abuse_prevention_enabled=True,
        abuse_prevention_limit=limit,
        abuse_prevention_limit_factor=factor,
    )
    return realm_q.get_realm(conn, realm_id)


def test_quota_limits_codes_per_day(conn, services, fake_sms, admin):
    quota = RealmQuota(MemoryQuotaStore(), b"k")
    svc = IssueService(services, sms.SmsClient(fake_sms.url, 1), quota=quota)
    realm = _quota_realm(conn, 3)
    for expected_remaining in (2, 1, 0):
        result = svc.issue(realm, admin, IssueRequest(test_type="confirmed"))
        assert result.quota.remaining == expected_remaining
    with pytest.raises(QuotaExceeded) as info:
        svc.issue(realm, admin, IssueRequest(test_type="confirmed"))
    assert (info.value.status, info.value.code) == (429, "quota_exceeded")
    assert realm_codes(conn, realm.id) == 3


def test_new_quota_limit_does_not_refill_the_bucket(conn, services, fake_sms, admin):
    quota = RealmQuota(MemoryQuotaStore(), b"k")
    svc = IssueService(services, sms.SmsClient(fake_sms.url, 1), quota=quota)
    realm = _quota_realm(conn, 2)
    for _ in range(2):
        svc.issue(realm, admin, IssueRequest(test_type="confirmed"))
    bigger = realm_q.get_realm(conn, realm.id).__class__(
        **{**realm.__dict__, "abuse_prevention_limit": 3}
    )
    assert (
        svc.issue(bigger, admin, IssueRequest(test_type="confirmed")).quota.remaining
        == 0
    )
    with pytest.raises(QuotaExceeded):
        svc.issue(bigger, admin, IssueRequest(test_type="confirmed"))


def test_quota_not_enforced_only_logs(conn, services, fake_sms, admin):
    quota = RealmQuota(MemoryQuotaStore(), b"k", enforce=False)
    svc = IssueService(services, sms.SmsClient(fake_sms.url, 1), quota=quota)
    realm = _quota_realm(conn, 1)
    for _ in range(2):
        svc.issue(realm, admin, IssueRequest(test_type="confirmed"))
    assert realm_codes(conn, realm.id) == 2


def test_colliding_codes_are_regenerated(conn, services, fake_sms, realm, admin):
    first = IssueService(services, sms.SmsClient(fake_sms.url, 1))
    taken = first.issue(realm, admin, IssueRequest(test_type="confirmed"))
    supply = iter([(taken.code, "a" * 16), ("12345678", "b" * 16)])
    naps = []
    svc = IssueService(
        services,
        sms.SmsClient(fake_sms.url, 1),
        sleep=naps.append,
        code_source=lambda _realm: next(supply),
    )
    result = svc.issue(realm, admin, IssueRequest(test_type="confirmed"))
    assert result.code == "12345678" and naps == [0.05]


def test_collisions_give_up_after_the_retry_budget(
    conn, services, fake_sms, realm, admin
):
    taken = IssueService(services, sms.SmsClient(fake_sms.url, 1)).issue(
        realm, admin, IssueRequest(test_type="confirmed")
    )
    naps = []
    svc = IssueService(
        services,
        sms.SmsClient(fake_sms.url, 1),
        sleep=naps.append,
        code_source=lambda _realm: (taken.code, "c" * 16),
    )
    with pytest.raises(DomainError) as info:
        svc.issue(realm, admin, IssueRequest(test_type="confirmed"))
    assert (info.value.status, info.value.code) == (500, "internal_server_error")
    assert len(naps) == services.settings.codes.collision_retry_count
    assert realm_codes(conn, realm.id) == 1


def test_batch_counts_in_one_statement(conn, services, fake_sms, admin):
    realm = realm_q.get_realm(conn, make_realm(conn, "Counted", allow_bulk_upload=True))
    svc = IssueService(services, sms.SmsClient(fake_sms.url, 1))
    requests = [IssueRequest(test_type="negative", external_issuer_id="z")] * 3
    assert all(r.code for r in svc.issue_batch(realm, admin, requests))
    assert (
        count(
            conn,
            "SELECT codes_issued FROM realm_stats_daily WHERE realm_id=%(r)s",
            r=realm.id,
        )
        == 3
    )
    assert (
        count(
            conn,
            "SELECT codes_issued FROM external_issuer_stats WHERE realm_id=%(r)s",
            r=realm.id,
        )
        == 3
    )
    assert (
        count(
            conn,
            "SELECT codes_issued FROM authorized_app_stats_daily"
            " WHERE authorized_app_id=%(a)s",
            a=admin.app_id,
        )
        == 3
    )


def test_system_sms_config_with_the_realm_sender(conn, services, fake_sms, issuer_svc):
    from db.queries.codes import sms as sms_q

    number_id = count(
        conn,
        "INSERT INTO sms_from_numbers (label, value) VALUES ('main', '+15550001111')"
        " RETURNING id",
    )
    conn.execute(
        "INSERT INTO sms_configs (is_system, twilio_account_sid, twilio_auth_token)"
        " VALUES (true, 'ACsystem', %(t)s)",
        {"t": sms.seal_auth_token(services.envelope, "sys-token")},
    )
    realm = realm_q.get_realm(
        conn,
        make_realm(
            conn,
            "SysSms",
            can_use_system_sms_config=True,
            use_system_sms_config=True,
            sms_from_number_id=number_id,
        ),
    )
    assert sms_q.get_realm_sms_config(conn, realm_id=realm.id) is None
    _, app_id = make_key(conn, services, realm.id)
    issuer_svc.issue(
        realm,
        Issuer.for_api_key(app_id, "pha"),
        IssueRequest(test_type="confirmed", phone="2068675309"),
    )
    [msg] = fake_sms.messages
    assert (msg.account_sid, msg.sender, msg.auth[1]) == (
        "ACsystem",
        "+15550001111",
        "sys-token",
    )


def test_failed_user_report_code_frees_the_phone(conn, services, fake_sms, issuer_svc):
    realm = realm_q.get_realm(
        conn, make_realm(conn, "UR5", allow_admin_user_report=True)
    )
    add_sms_config(conn, services, realm.id)
    _, app_id = make_key(conn, services, realm.id)
    admin = Issuer.for_api_key(app_id, "pha")
    taken = issuer_svc.issue(realm, admin, IssueRequest(test_type="confirmed")).code
    stuck = IssueService(
        services,
        sms.SmsClient(fake_sms.url, 1),
        sleep=lambda _s: None,
        code_source=lambda _realm: (taken, "d" * 16),
    )
    request = IssueRequest(test_type="user-report", phone="2068675300")
    with pytest.raises(DomainError) as info:
        stuck.issue(realm, admin, request)
    assert info.value.status == 500
    assert count(conn, "SELECT count(*) FROM user_reports") == 0
    fake_sms.mode = "queue_full"
    with pytest.raises(DomainError):
        issuer_svc.issue(realm, admin, request)
    assert count(conn, "SELECT count(*) FROM user_reports") == 0
    fake_sms.mode = "ok"
    assert issuer_svc.issue(realm, admin, request).code
