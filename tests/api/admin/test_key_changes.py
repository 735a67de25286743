"""A cached ADMIN key that changes is noticed by /api/issue on its next request.

/api/issue checks the cached key inside its insert (issue 18), except where
an SMS or the realm's quota acts before that insert: then it checks first.
Either way a disabled key is refused and nothing is written or spent.
"""

from __future__ import annotations

import pytest

from db.queries.realms.apikeys import rename_authorized_app
from models.audit import SYSTEM
from models.realms.apikeys import set_key_enabled


def _disable(api):
    set_key_enabled(
        api.conn, realm_id=api.realm_id, app_id=api.app_id, enabled=False, actor=SYSTEM
    )


def _count(api, sql) -> int:
    return api.conn.execute(sql, (api.realm_id,)).fetchone()[0]


CODES = "SELECT count(*) FROM verification_codes WHERE realm_id = %s"
AUDITS = "SELECT count(*) FROM audit_entries WHERE realm_id = %s"


@pytest.mark.parametrize(
    "realm_settings",
    [{}, {"abuse_prevention_enabled": True, "abuse_prevention_limit": 100}],
    ids=["checked-in-the-insert", "checked-before-the-quota"],
)
def test_a_disabled_key_is_refused_and_nothing_is_written(make_api, realm_settings):
    api = make_api(**realm_settings)
    assert api.post("/api/issue", {"testType": "confirmed"}).status_code == 200
    assert api.services.cache.keys()  # the key is cached now
    codes, audits = _count(api, CODES), _count(api, AUDITS)
    _disable(api)
    resp = api.post("/api/issue", {"testType": "confirmed"})
    assert resp.status_code == 401
    assert _count(api, CODES) == codes
    assert _count(api, AUDITS) == audits + 1  # the disable itself, nothing else


def test_a_disabled_key_with_a_phone_sends_no_sms(make_api, fake_sms):
    api = make_api(allowed_test_types=30)
    api.post("/api/issue", {"testType": "confirmed"})
    _disable(api)
    resp = api.post("/api/issue", {"testType": "confirmed", "phone": "+12068675309"})
    assert resp.status_code == 401
    assert fake_sms.messages == []


def test_a_renamed_key_issues_under_its_new_name(make_api):
    api = make_api()
    assert api.post("/api/issue", {"testType": "confirmed"}).status_code == 200
    rename_authorized_app(api.conn, api.app_id, "renamed")
    api.conn.execute(
        "UPDATE authorized_apps SET updated_at = clock_timestamp() WHERE id = %s",
        (api.app_id,),
    )
    resp = api.post("/api/issue", {"testType": "confirmed"})
    assert resp.status_code == 200, resp.text
    actor = api.conn.execute(
        "SELECT actor_display FROM audit_entries WHERE realm_id = %s"
        " AND action = 'issued verification code' ORDER BY id DESC LIMIT 1",
        (api.realm_id,),
    ).fetchone()[0]
    assert "renamed" in actor


def test_a_disabled_key_with_a_bad_body_is_refused_not_answered(make_api):
    api = make_api()
    api.post("/api/issue", {"testType": "confirmed"})
    _disable(api)
    assert api.post("/api/issue", raw=b"not json").status_code == 401


def _batch(api, items):
    return api.post("/api/batch-issue", {"codes": items})


@pytest.mark.parametrize(
    "items",
    [[{"testType": "confirmed"}] * 3, [{"testType": "no-such-type"}] * 2],
    ids=["valid-items", "only-invalid-items"],
)
def test_a_disabled_key_is_refused_by_batch_issue(make_api, items):
    api = make_api(allow_bulk_upload=True)
    assert _batch(api, [{"testType": "confirmed"}]).status_code == 200
    codes = _count(api, CODES)
    _disable(api)
    assert _batch(api, items).status_code == 401
    assert _count(api, CODES) == codes


def test_a_live_key_still_hears_why_its_batch_items_failed(make_api):
    api = make_api(allow_bulk_upload=True)
    assert _batch(api, [{"testType": "confirmed"}]).status_code == 200
    resp = _batch(api, [{"testType": "no-such-type"}])
    assert resp.status_code == 400
    assert resp.json["codes"][0]["errorCode"]
