"""/admin/users: list, create system admins, show, revoke, delete, sessions."""

from __future__ import annotations

import pytest

from tests.fakes.smtp import SmtpSink
from tests.ui.admin.conftest import audit_actions, audit_count


def _user(conn, email):
    return conn.execute(
        "SELECT id, system_admin, sessions_valid_after FROM users WHERE email = %s",
        (email,),
    ).fetchone()


def _table(html: str) -> str:
    return html[html.index('id="users"') :]


def test_list_and_filter_users(admin, demo):
    everyone = _table(admin.get("/admin/users").text)
    assert (
        demo.realm_admin["email"] in everyone and demo.system_admin["email"] in everyone
    )
    admins = _table(admin.get("/admin/users?filter=systemAdmins").text)
    assert demo.realm_admin["email"] not in admins
    assert demo.system_admin["email"] in admins
    found = _table(admin.get("/admin/users?q=demo-admin").text)
    assert (
        demo.realm_admin["email"] in found and demo.system_admin["email"] not in found
    )


def test_create_system_admin_without_smtp_shows_the_link(admin, conn):
    result = admin.form("/admin/users", {"email": "ops@example.org", "name": "Ops"})
    assert result.status_code == 303
    user_id, is_admin, _ = _user(conn, "ops@example.org")
    assert is_admin and result.headers["Location"].endswith(f"/admin/users/{user_id}")
    page = admin.get(result.headers["Location"]).text
    assert "Successfully created system admin" in page
    assert "/login/manage-account?mode=resetPassword&amp;oobCode=" in page
    assert audit_actions(conn, 0) == ["granted system admin"]


def test_create_system_admin_mails_through_the_system_smtp(admin, conn):
    with SmtpSink() as sink:
        result = admin.form(
            "/admin/email",
            {
                "smtp_account": "noreply@example.org",
                "smtp_host": "127.0.0.1",
                "smtp_port": str(sink.port),
            },
        )
        assert result.status_code == 303
        result = admin.form("/admin/users", {"email": "ops2@example.org"})
        assert result.status_code == 303
        assert [m.rcpt_to for m in sink.messages] == [["ops2@example.org"]]
        assert "System Admin" in sink.bodies()[0]
        assert "oobCode=" in sink.bodies()[0]


def test_bad_system_admin_input_writes_nothing(admin, conn):
    before = audit_count(conn)
    result = admin.form("/admin/users", {"email": "not an address"})
    assert result.status_code == 422 and "not a valid email address" in result.text
    assert audit_count(conn) == before


def test_show_revoke_sessions_revoke_admin_and_delete(admin, conn, demo, clock):
    uid, _, _ = _user(conn, demo.realm_admin["email"])
    page = admin.get(f"/admin/users/{uid}").text
    assert "Demo Health Authority" in page and "data-confirm" in page
    assert admin.form(f"/admin/users/{uid}/sessions", {}).status_code == 303
    assert _user(conn, demo.realm_admin["email"])[2] == clock.now()
    conn.execute("UPDATE users SET system_admin = true WHERE id = %s", (uid,))
    result = admin.form(f"/admin/users/{uid}/revoke", {"_method": "DELETE"})
    assert result.status_code == 303
    assert _user(conn, demo.realm_admin["email"])[1] is False
    result = admin.form(f"/admin/users/{uid}", {"_method": "DELETE"})
    assert result.status_code == 303
    assert _user(conn, demo.realm_admin["email"]) is None
    assert conn.execute(
        "SELECT count(*) FROM memberships WHERE user_id = %s", (uid,)
    ).fetchone() == (0,)
    assert audit_actions(conn, 0) == [
        "revoked user sessions",
        "revoked system admin",
        "deleted user",
    ]
    assert admin.get(f"/admin/users/{uid}").status_code == 404


@pytest.mark.parametrize(
    ("suffix", "message"),
    [("/revoke", "Cannot remove yourself!"), ("", "Cannot delete yourself!")],
)
def test_no_one_revokes_or_deletes_themselves(admin, conn, demo, suffix, message):
    uid, _, _ = _user(conn, demo.system_admin["email"])
    before = audit_count(conn)
    result = admin.form(f"/admin/users/{uid}{suffix}", {"_method": "DELETE"})
    assert result.status_code == 303
    assert message in admin.get(result.headers["Location"]).text
    assert _user(conn, demo.system_admin["email"])[1] is True
    assert audit_count(conn) == before
