"""Passkeys over HTTP: register, second factor, alone, removal and refusals."""

from __future__ import annotations

import json

import pytest

from models.accounts import passkeys
from models.settings import Settings
from tests.support import make_env
from tests.ui.client import UiClient
from tests.ui.webauthn_helpers import SoftAuthenticator

ORIGIN = "https://verify.example.com"
RP_ID = "verify.example.com"


@pytest.fixture
def ui_env():
    return {"DEV_MODE": "true", "SERVER_ENDPOINT": ORIGIN}


def _admin(demo):
    return demo.realm_admin["email"], demo.realm_admin["password"]


def _user_id(conn, email):
    return conn.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()[0]


def _row(conn, user_id):
    return conn.execute(
        "SELECT sign_count, last_used_at FROM passkeys WHERE user_id = %s", (user_id,)
    ).fetchone()


def _audits(conn, action):
    return conn.execute(
        "SELECT count(*) FROM audit_entries WHERE action = %s", (action,)
    ).fetchone()[0]


def _allow_alone(conn, realm_id, on):
    conn.execute(
        "UPDATE realms SET allow_passkey_signin = %s, updated_at = clock_timestamp()"
        " WHERE id = %s",
        (on, realm_id),
    )


def _register(browser, demo, name="Laptop"):
    browser.sign_in(*_admin(demo))
    browser.get("/account")
    options = browser.json("/account/passkeys/options", {})
    assert options.status_code == 200, options.text
    authenticator = SoftAuthenticator(ORIGIN, RP_ID)
    credential = authenticator.create(options.json)
    added = browser.form(
        "/account/passkeys", {"name": name, "credential": json.dumps(credential)}
    )
    assert added.status_code == 303 and added.headers["Location"].endswith("/account")
    return authenticator


def _passkey_step(browser, authenticator):
    """Ask for options, then post the authenticator's assertion to /session."""
    options = browser.json("/session/passkey-options", {})
    assert options.status_code == 200, options.text
    assertion = authenticator.get(options.json)
    return assertion, browser.form("/session", {"passkey": json.dumps(assertion)})


@pytest.fixture
def enrolled(browser, demo, conn):
    authenticator = _register(browser, demo)
    browser.get("/signout")
    return authenticator, _user_id(conn, demo.realm_admin["email"])


def test_register_lists_on_account_page_and_audits(browser, demo, conn):
    _register(browser, demo, name="Work laptop")
    page = browser.get("/account")
    assert page.status_code == 200 and "Work laptop" in page.text
    assert 'data-confirm="Are you sure' in page.text
    keys = passkeys.list_passkeys(conn, _user_id(conn, demo.realm_admin["email"]))
    assert [(k.friendly_name, k.transports) for k in keys] == [
        ("Work laptop", ["internal"])
    ]
    assert _audits(conn, "added passkey") == 1


def test_registration_challenge_is_single_use(browser, demo, conn):
    browser.sign_in(*_admin(demo))
    browser.get("/account")
    options = browser.json("/account/passkeys/options", {}).json
    credential = json.dumps(SoftAuthenticator(ORIGIN, RP_ID).create(options))
    first = browser.form("/account/passkeys", {"name": "A", "credential": credential})
    assert first.status_code == 303
    again = browser.form("/account/passkeys", {"name": "B", "credential": credential})
    assert again.status_code == 303
    assert "not accepted" in browser.follow(again).text
    uid = _user_id(conn, demo.realm_admin["email"])
    assert [k.friendly_name for k in passkeys.list_passkeys(conn, uid)] == ["A"]


def test_passkey_is_the_second_factor(browser, demo, conn, enrolled):
    authenticator, uid = enrolled
    step = browser.sign_in(*_admin(demo))
    assert step.status_code == 200 and 'id="passkey-form"' in step.text
    assert 'name="totp"' not in step.text
    assert browser.get("/account").status_code == 303  # not signed in yet
    _, done = _passkey_step(browser, authenticator)
    assert done.status_code == 303
    assert done.headers["Location"].endswith("/login/select-realm")
    assert browser.get("/account").status_code == 200
    count, last_used = _row(conn, uid)
    assert count == 1 and last_used is not None


def test_replayed_assertion_is_refused_and_changes_nothing(
    browser, demo, conn, enrolled
):
    authenticator, uid = enrolled
    browser.sign_in(*_admin(demo))
    assertion, done = _passkey_step(browser, authenticator)
    assert done.status_code == 303
    before = _row(conn, uid)
    browser.get("/signout")
    browser.sign_in(*_admin(demo))
    # The challenge was spent: the same assertion, with or without new options.
    replay = browser.form("/session", {"passkey": json.dumps(assertion)})
    assert replay.headers["Location"] == "/"
    browser.sign_in(*_admin(demo))
    browser.json("/session/passkey-options", {})
    replay = browser.form("/session", {"passkey": json.dumps(assertion)})
    assert replay.headers["Location"] == "/"
    assert browser.get("/account").status_code == 303
    assert _row(conn, uid) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("origin", "https://verify.example.com.evil.test"), ("rp_id", "evil.test")],
)
def test_wrong_origin_or_rp_id_is_refused_and_audited(
    browser, demo, conn, enrolled, field, value
):
    authenticator, uid = enrolled
    before = _row(conn, uid)
    setattr(authenticator, field, value)
    browser.sign_in(*_admin(demo))
    _, refused = _passkey_step(browser, authenticator)
    assert refused.headers["Location"] == "/"
    assert "Sign-in failed" in browser.follow(refused).text
    assert browser.get("/account").status_code == 303
    assert _row(conn, uid) == before
    assert _audits(conn, "refused passkey assertion") == 1


def test_sign_count_going_backwards_is_refused_and_audited(
    browser, demo, conn, enrolled
):
    authenticator, uid = enrolled
    conn.execute("UPDATE passkeys SET sign_count = 10 WHERE user_id = %s", (uid,))
    before = _row(conn, uid)
    authenticator.counter = 4  # a cloned authenticator lags behind
    browser.sign_in(*_admin(demo))
    _, refused = _passkey_step(browser, authenticator)
    assert refused.headers["Location"] == "/"
    assert browser.get("/account").status_code == 303
    assert _row(conn, uid) == before
    assert _audits(conn, "refused passkey sign count regression") == 1


def test_unknown_credential_is_refused_and_audited(browser, demo, conn, enrolled):
    _, uid = enrolled
    stranger = SoftAuthenticator(ORIGIN, RP_ID)
    stranger.user_handle = passkeys.user_handle(uid)
    browser.sign_in(*_admin(demo))
    _, refused = _passkey_step(browser, stranger)
    assert refused.headers["Location"] == "/"
    assert browser.get("/account").status_code == 303
    assert _audits(conn, "refused unknown passkey") == 1


def test_passkey_alone_only_where_the_realm_allows_it(browser, demo, conn, enrolled):
    authenticator, uid = enrolled
    browser.get("/")
    _, refused = _passkey_step(browser, authenticator)
    assert refused.headers["Location"] == "/"
    assert browser.get("/account").status_code == 303
    realm_id = conn.execute(
        "SELECT realm_id FROM memberships WHERE user_id = %s", (uid,)
    ).fetchone()[0]
    # (The realm Security tab sets it: tests/ui/test_realm_settings.py.)
    _allow_alone(conn, realm_id, True)
    browser.get("/")
    _, done = _passkey_step(browser, authenticator)
    assert done.status_code == 303
    assert done.headers["Location"].endswith("/login/select-realm")
    assert browser.get("/account").status_code == 200
    browser.get("/login/select-realm")
    assert browser.get("/codes/issue").status_code in (200, 303)
    # Turned off again: the passkey-only session no longer enters the realm.
    _allow_alone(conn, realm_id, False)
    gone = browser.get("/codes/issue")
    assert gone.status_code == 303 and gone.headers["Location"].endswith("/")
    assert browser.get("/account").status_code == 303


def test_removed_passkey_no_longer_signs_in(browser, demo, conn, enrolled):
    authenticator, uid = enrolled
    browser.sign_in(*_admin(demo))
    _passkey_step(browser, authenticator)
    page = browser.get("/account")
    (key,) = passkeys.list_passkeys(conn, uid)
    removed = browser.form(f"/account/passkeys/{key.id}", {"_method": "DELETE"})
    assert removed.status_code == 303
    assert "Passkey removed: Laptop." in browser.follow(removed).text
    assert page.status_code == 200 and passkeys.list_passkeys(conn, uid) == []
    assert _audits(conn, "removed passkey") == 1
    browser.get("/signout")
    step = browser.sign_in(*_admin(demo))
    # No second factor left: the password alone signs in, and the old
    # passkey is an unknown credential for a passkey-only attempt.
    assert step.status_code == 303
    browser.get("/signout")
    browser.get("/")
    _, refused = _passkey_step(browser, authenticator)
    assert refused.headers["Location"] == "/"
    assert browser.get("/account").status_code == 303


def test_someone_elses_passkey_cannot_be_removed(browser, demo, conn, enrolled):
    _, uid = enrolled
    (key,) = passkeys.list_passkeys(conn, uid)
    browser.sign_in(demo.system_admin["email"], demo.system_admin["password"])
    browser.get("/account")
    refused = browser.form(f"/account/passkeys/{key.id}", {"_method": "DELETE"})
    assert "No such passkey." in browser.follow(refused).text
    assert len(passkeys.list_passkeys(conn, uid)) == 1


def test_realm_admin_removes_a_members_lost_passkey(signed_in, app, demo, conn):
    # The system admin, also a member of the demo realm, has a passkey.
    member = UiClient(app)
    member.sign_in(demo.system_admin["email"], demo.system_admin["password"])
    member.get("/account")
    options = member.json("/account/passkeys/options", {}).json
    credential = SoftAuthenticator(ORIGIN, RP_ID).create(options)
    member.form(
        "/account/passkeys", {"name": "Lost", "credential": json.dumps(credential)}
    )
    member_id = _user_id(conn, demo.system_admin["email"])
    (key,) = passkeys.list_passkeys(conn, member_id)
    signed_in.get("/realm/users")
    outsider = signed_in.form(
        f"/realm/users/{member_id}/passkeys/{key.id}", {"_method": "DELETE"}
    )
    # Not (yet) a member of the admin's realm: not theirs to touch.
    assert outsider.status_code == 401
    assert len(passkeys.list_passkeys(conn, member_id)) == 1
    conn.execute(
        "INSERT INTO memberships (realm_id, user_id, permissions) VALUES (%s, %s, 0)"
        " ON CONFLICT DO NOTHING",
        (demo.realm_id, member_id),
    )
    shown = signed_in.get(f"/realm/users/{member_id}")
    assert shown.status_code == 200 and "Lost" in shown.text
    removed = signed_in.form(
        f"/realm/users/{member_id}/passkeys/{key.id}", {"_method": "DELETE"}
    )
    assert removed.status_code == 303
    assert "Passkey removed: Lost." in signed_in.follow(removed).text
    assert passkeys.list_passkeys(conn, member_id) == []
    row = conn.execute(
        "SELECT realm_id, target_display FROM audit_entries"
        " WHERE action = 'removed passkey'"
    ).fetchone()
    assert row == (demo.realm_id, "Lost")


def test_relying_party_from_endpoint_or_explicit_settings():
    derived = Settings.from_env(
        make_env(DEV_MODE="true", SERVER_ENDPOINT="http://localhost:8080")
    ).ui
    assert (derived.webauthn_rp_id, derived.webauthn_origin) == (
        "localhost",
        "http://localhost:8080",
    )
    explicit = Settings.from_env(
        make_env(
            DEV_MODE="true",
            SERVER_ENDPOINT="http://localhost:8080",
            ENCV_WEBAUTHN_RP_ID="example.org",
            ENCV_WEBAUTHN_ORIGIN="https://login.example.org",
        )
    ).ui
    assert (explicit.webauthn_rp_id, explicit.webauthn_origin) == (
        "example.org",
        "https://login.example.org",
    )
