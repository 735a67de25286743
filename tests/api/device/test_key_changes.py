"""A cached DEVICE key that changes is noticed on its very next request.

verify and certificate check the cached key's version inside their own
first statement instead of in a separate query (issue 18); these tests pin
that a disabled key is refused at once and claims nothing, and that a
renamed key keeps working.
"""

from __future__ import annotations

from db.queries.realms.apikeys import rename_authorized_app
from models.audit import SYSTEM
from models.realms.apikeys import set_key_enabled
from tests.support import vectors

EKEYHMAC = vectors("tek_hmac")[0]["expected_ekeyhmac_b64std"]


def _disable(device):
    set_key_enabled(
        device.conn,
        realm_id=device.realm_id,
        app_id=device.app_id,
        enabled=False,
        actor=SYSTEM,
    )


def _claimed(device, code_id) -> bool:
    return device.conn.execute(
        "SELECT claimed FROM verification_codes WHERE id = %s", (code_id,)
    ).fetchone()[0]


def test_a_disabled_key_is_refused_by_verify_and_claims_nothing(device):
    first = device.issue()
    assert device.verify(first.code).status_code == 200  # the key is now cached
    assert device.services.cache.keys()
    code = device.issue()
    _disable(device)
    resp = device.verify(code.code)
    assert resp.status_code == 401
    assert not _claimed(device, code.id)


def test_a_disabled_key_is_refused_by_certificate_and_claims_nothing(device):
    token = device.verify(device.issue().code).json["token"]
    _disable(device)
    assert device.certificate(token, EKEYHMAC).status_code == 401
    used = device.conn.execute("SELECT bool_or(used) FROM tokens").fetchone()[0]
    assert used is False


def test_a_renamed_key_keeps_working_for_both_requests(device):
    assert device.verify(device.issue().code).status_code == 200
    rename_authorized_app(device.conn, device.app_id, "renamed")
    device.conn.execute(
        "UPDATE authorized_apps SET updated_at = clock_timestamp() WHERE id = %s",
        (device.app_id,),
    )
    token = device.verify(device.issue().code).json["token"]
    device.conn.execute(
        "UPDATE authorized_apps SET updated_at = clock_timestamp() WHERE id = %s",
        (device.app_id,),
    )
    assert device.certificate(token, EKEYHMAC).status_code == 200


def test_chaff_with_a_disabled_key_is_refused(device):
    device.verify(device.issue().code)
    _disable(device)
    resp = device.post("/api/verify", {"code": "1"}, headers={"X-Chaff": "1"})
    assert resp.status_code == 401


def test_a_disabled_key_with_a_bad_request_is_refused_not_answered(device):
    device.verify(device.issue().code)
    _disable(device)
    assert device.post_garbage(device.client, "/api/verify").status_code == 401
    assert device.post_garbage(device.client, "/api/certificate").status_code == 401
    assert device.verify("not-a-code").status_code == 401


def test_a_renamed_key_with_a_bad_request_gets_its_error(device):
    device.verify(device.issue().code)
    device.conn.execute(
        "UPDATE authorized_apps SET updated_at = clock_timestamp() WHERE id = %s",
        (device.app_id,),
    )
    assert device.post_garbage(device.client, "/api/verify").status_code == 400
