"""``/realm/users``: permissions, CSRF, validation, granting rules, audit."""

from __future__ import annotations

import csv
import io
import re

import pytest

from models.accounts.rbac import LEGACY_REALM_USER, Permission
from tests.fakes.smtp import SmtpSink
from tests.ui.people import add_member, audit_rows, count, member_client, shown

P = Permission


@pytest.fixture
def sink():
    with SmtpSink() as server:
        yield server


@pytest.fixture
def ui_env(sink):
    return {
        "DEV_MODE": "true",
        "ENCV_SMTP_HOST": "127.0.0.1",
        "ENCV_SMTP_PORT": str(sink.port),
        "ENCV_SMTP_FROM": "noreply@example.com",
        "SERVER_ENDPOINT": "https://verify.example.com",
    }


def _users(conn) -> int:
    return count(conn, "SELECT count(*) FROM users")


def _perms(conn, realm_id, user_id):
    row = conn.execute(
        "SELECT permissions FROM memberships WHERE realm_id = %s AND user_id = %s",
        (realm_id, user_id),
    ).fetchone()
    return row[0] if row else None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/realm/users"),
        ("GET", "/realm/users/new"),
        ("GET", "/realm/users/import"),
        ("GET", "/realm/users/export.csv"),
        ("GET", "/realm/users/{id}"),
        ("GET", "/realm/users/{id}/edit"),
        ("POST", "/realm/users"),
        ("PATCH", "/realm/users/{id}"),
        ("DELETE", "/realm/users/{id}"),
        ("POST", "/realm/users/{id}/reset-password"),
        ("POST", "/realm/users/bulk-permissions/add"),
        ("POST", "/realm/users/import"),
    ],
)
def test_every_route_needs_its_bit(app, conn, demo, method, path):
    target = add_member(conn, demo.realm_id, "target@example.com", 16)
    worker = member_client(app, conn, demo.realm_id, "cw@example.com", 240)
    url = path.format(id=target)
    if method == "GET":
        result = worker.get(url)
    else:
        result = worker.form(url, {"_method": method, "name": "x", "email": "a@b.c"})
    assert result.status_code == 401
    assert _perms(conn, demo.realm_id, target) == 16


def test_read_only_member_can_list_but_not_invite(app, conn, demo):
    reader = member_client(app, conn, demo.realm_id, "r@example.com", int(P.USER_READ))
    page = reader.get("/realm/users")
    assert page.status_code == 200 and "r@example.com" in page.text
    assert 'id="new-user"' not in page.text
    before = _users(conn)
    assert reader.form("/realm/users", {"email": "x@example.com"}).status_code == 401
    assert _users(conn) == before


def test_csrf_is_required(signed_in, conn):
    before = _users(conn)
    result = signed_in.form(
        "/realm/users", {"email": "n@example.com", "name": "N"}, csrf=False
    )
    assert result.status_code == 401
    assert _users(conn) == before


def test_invite_mails_a_link_and_audits(signed_in, conn, demo, sink):
    signed_in.get("/realm/users/new")
    result = signed_in.form(
        "/realm/users",
        {
            "email": "new@example.com",
            "name": "New Worker",
            "permissions": [str(int(P.CODE_ISSUE)), str(int(P.USER_WRITE))],
        },
    )
    assert result.status_code == 303
    user_id = int(result.headers["Location"].rsplit("/", 1)[1])
    assert _perms(conn, demo.realm_id, user_id) == P.CODE_ISSUE | P.USER_WRITE | (
        P.USER_READ
    )
    page = signed_in.get(f"/realm/users/{user_id}")
    assert 'Successfully created user "New Worker"' in shown(page)
    ((_, recipients, _message),) = sink.messages
    assert recipients == ["new@example.com"]
    assert re.search(
        r"https://verify\.example\.com/login/manage-account\?mode=resetPassword",
        sink.bodies()[0],
    )
    actions = [
        a
        for (a,) in conn.execute(
            "SELECT action FROM audit_entries WHERE target_id = %s ORDER BY id",
            (f"users:{user_id}",),
        )
    ]
    assert actions == ["created user", "added user to realm"]
    (entry,) = audit_rows(conn, "added user to realm")
    assert entry[0].startswith("users:") and "+CodeIssue\n" in entry[3]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "", "name": "A"}, "email cannot be blank"),
        ({"email": "nobody", "name": "A"}, "email must contain @"),
        ({"email": "a@example.com", "name": ""}, "name cannot be blank"),
        ({"email": "a@example.com", "name": "A", "permissions": "3"}, "unknown"),
    ],
)
def test_bad_invite_is_answered_on_the_form(signed_in, conn, sink, fields, message):
    before = _users(conn)
    signed_in.get("/realm/users/new")
    result = signed_in.form("/realm/users", fields)
    assert result.status_code == 422
    assert message in result.text
    assert _users(conn) == before and sink.messages == []


def test_failed_mail_leaves_nothing(signed_in, conn, sink):
    sink.server.shutdown()
    sink.server.server_close()
    before = _users(conn)
    signed_in.get("/realm/users/new")
    result = signed_in.form("/realm/users", {"email": "m@example.com", "name": "M"})
    assert result.status_code == 422 and "sending email failed" in result.text
    assert _users(conn) == before


def test_nobody_grants_what_they_lack(app, conn, demo, sink):
    perms = int(P.USER_WRITE | P.USER_READ | P.CODE_ISSUE)
    lead = member_client(app, conn, demo.realm_id, "lead@example.com", perms)
    lead.get("/realm/users/new")
    refused = lead.form(
        "/realm/users",
        {
            "email": "x@example.com",
            "name": "X",
            "permissions": [str(int(P.SETTINGS_WRITE))],
        },
    )
    assert refused.status_code == 422
    assert "actor does not have all scopes which are being granted" in refused.text
    assert count(conn, "SELECT count(*) FROM users WHERE email = 'x@example.com'") == 0
    # Nor on themselves: their own permissions never change.
    me = conn.execute(
        "SELECT id FROM users WHERE email = 'lead@example.com'"
    ).fetchone()
    lead.get(f"/realm/users/{me[0]}/edit")
    lead.form(
        f"/realm/users/{me[0]}",
        {"_method": "PATCH", "name": "Lead", "permissions": str(int(P.USER_WRITE))},
    )
    assert _perms(conn, demo.realm_id, me[0]) == perms


def test_edit_keeps_bits_the_editor_cannot_see(app, conn, demo):
    target = add_member(conn, demo.realm_id, "t@example.com", int(P.SETTINGS_READ))
    perms = int(P.USER_WRITE | P.USER_READ | P.CODE_ISSUE)
    lead = member_client(app, conn, demo.realm_id, "lead@example.com", perms)
    lead.get(f"/realm/users/{target}/edit")
    result = lead.form(
        f"/realm/users/{target}",
        {"_method": "PATCH", "name": "Renamed", "permissions": str(int(P.CODE_ISSUE))},
    )
    assert result.status_code == 303
    assert _perms(conn, demo.realm_id, target) == P.SETTINGS_READ | P.CODE_ISSUE
    (entry,) = audit_rows(conn, "updated user's name")
    assert entry[3] == "-t\n+Renamed\n"


def test_other_realms_users_are_401(signed_in, conn):
    outsider = conn.execute(
        "INSERT INTO users (email, name) VALUES ('o@example.com', 'O') RETURNING id"
    ).fetchone()[0]
    assert signed_in.get(f"/realm/users/{outsider}").status_code == 401
    signed_in.get("/realm/users")
    assert (
        signed_in.form(f"/realm/users/{outsider}", {"_method": "DELETE"}).status_code
        == 401
    )


def test_remove_and_not_self(signed_in, conn, demo):
    target = add_member(conn, demo.realm_id, "gone@example.com", 16)
    signed_in.get(f"/realm/users/{target}")
    result = signed_in.form(f"/realm/users/{target}", {"_method": "DELETE"})
    assert result.status_code == 303
    assert _perms(conn, demo.realm_id, target) is None
    assert count(conn, "SELECT count(*) FROM users WHERE id = %s", target) == 1
    assert audit_rows(conn, "removed user from realm")[0][1] == f"users:{target}"
    me = conn.execute(
        "SELECT id FROM users WHERE email = %s", (demo.realm_admin["email"],)
    ).fetchone()[0]
    signed_in.form(f"/realm/users/{me}", {"_method": "DELETE"})
    assert "cannot remove self" in signed_in.get(f"/realm/users/{me}").text
    assert _perms(conn, demo.realm_id, me) is not None


def test_password_reset_is_mailed(signed_in, conn, demo, sink):
    target = add_member(conn, demo.realm_id, "forgot@example.com", 16)
    signed_in.get(f"/realm/users/{target}")
    result = signed_in.form(f"/realm/users/{target}/reset-password", {})
    assert result.status_code == 303
    assert [r for _, r, _ in sink.messages] == [["forgot@example.com"]]
    assert (
        "Successfully sent password reset"
        in signed_in.get(f"/realm/users/{target}").text
    )
    assert audit_rows(conn, "sent password reset")[0][1] == f"users:{target}"


def test_bulk_add_and_remove(signed_in, conn, demo):
    a = add_member(conn, demo.realm_id, "a@example.com", int(P.CODE_ISSUE))
    b = add_member(conn, demo.realm_id, "b@example.com", int(P.CODE_READ))
    signed_in.get("/realm/users")
    ids = [str(a), str(b)]
    added = signed_in.form(
        "/realm/users/bulk-permissions/add",
        {"user_id": ids, "permission": str(int(P.API_KEY_WRITE))},
    )
    assert added.status_code == 303
    assert _perms(conn, demo.realm_id, a) == P.CODE_ISSUE | P.API_KEY_WRITE | (
        P.API_KEY_READ
    )
    signed_in.form(
        "/realm/users/bulk-permissions/remove",
        {
            "user_id": ids,
            "permission": [str(int(P.CODE_READ)), str(int(P.API_KEY_WRITE))],
        },
    )
    # Removing the writer bit leaves the read bit it implied.
    assert _perms(conn, demo.realm_id, a) == P.CODE_ISSUE | P.API_KEY_READ
    signed_in.form(
        "/realm/users/bulk-permissions/remove",
        {"user_id": ids, "permission": str(int(P.API_KEY_READ))},
    )
    assert _perms(conn, demo.realm_id, a) == P.CODE_ISSUE
    # b had nothing else left: removed from the realm.
    assert _perms(conn, demo.realm_id, b) is None
    assert len(audit_rows(conn, "updated user permissions")) == 5
    assert len(audit_rows(conn, "removed user from realm")) == 1


def test_bulk_add_is_all_or_nothing_under_the_granting_rule(app, conn, demo):
    a = add_member(conn, demo.realm_id, "a@example.com", int(P.CODE_ISSUE))
    lead = member_client(
        app, conn, demo.realm_id, "lead@example.com", int(P.USER_WRITE | P.USER_READ)
    )
    lead.get("/realm/users")
    lead.form(
        "/realm/users/bulk-permissions/add",
        {"user_id": str(a), "permission": str(int(P.SETTINGS_WRITE))},
    )
    assert _perms(conn, demo.realm_id, a) == P.CODE_ISSUE
    assert "Failed to apply bulk permissions" in lead.get("/realm/users").text


def test_search_grammar(signed_in, conn, demo):
    add_member(conn, demo.realm_id, "fred@example.com", int(P.CODE_ISSUE), "Fred")
    add_member(conn, demo.realm_id, "jones@example.com", int(P.USER_READ), "Jones")
    add_member(conn, demo.realm_id, "zed@other.org", int(P.CODE_ISSUE), "Zed")

    def names(q):
        page = signed_in.get("/realm/users", params={"q": q})
        assert page.status_code == 200
        return set(re.findall(r'<a href="/realm/users/\d+">([^<]+)</a>', page.text))

    assert names("name:fred|jones") == {"Fred", "Jones"}
    assert names("email:other\\.org$") == {"Zed"}
    assert names("can:CodeIssue cannot:UserWrite") == {"Fred", "Zed"}
    assert names("zed jones") == {"Zed", "Jones"}
    bad = signed_in.get("/realm/users", params={"q": "name:a name:b"})
    assert bad.status_code == 303
    assert "may only be given once" in signed_in.get("/realm/users").text
    signed_in.get("/realm/users", params={"q": "can:Flying"})
    assert "unknown permission" in signed_in.get("/realm/users").text
    signed_in.get("/realm/users", params={"q": "name:("})
    assert "invalid regular expression" in signed_in.get("/realm/users").text


def test_list_pages(signed_in, conn, demo):
    for n in range(30):
        add_member(conn, demo.realm_id, f"u{n:02d}@example.com", 16, f"User {n:02d}")
    first = signed_in.get("/realm/users")
    second = signed_in.get("/realm/users", params={"page": "2"})
    assert "User 00" in first.text and "User 00" not in second.text
    assert "User 29" in second.text and 'class="pagination' in first.text


def test_export_neutralises_formulas(signed_in, conn, demo):
    add_member(conn, demo.realm_id, "evil@example.com", 16, "=HYPERLINK(1)")
    add_member(conn, demo.realm_id, "tab@example.com", 16, "\tTab")
    result = signed_in.get("/realm/users/export.csv")
    assert result.status_code == 200
    assert "attachment" in result.headers["Content-Disposition"]
    assert re.search(
        r'filename="?\d{14}-users\.csv', result.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(result.text)))
    assert rows[0] == ["name", "email", "joined"]
    names = {row[0] for row in rows[1:]}
    assert "'=HYPERLINK(1)" in names and "'\tTab" in names


def test_import_one_transaction_per_row(signed_in, conn, demo, sink):
    existing = add_member(conn, demo.realm_id, "old@example.com", int(P.STATS_READ))
    signed_in.get("/realm/users/import")
    text = "new1@example.com, New One\n\nbroken-line\nold@example.com\n"
    result = signed_in.form(
        "/realm/users/import", {"csv": text, "send_invites": "true"}
    )
    assert result.status_code == 200
    assert (
        "email must contain @" in result.text and 'id="import-results"' in result.text
    )
    new = conn.execute(
        "SELECT id, name FROM users WHERE email = 'new1@example.com'"
    ).fetchone()
    assert new[1] == "New One"
    assert _perms(conn, demo.realm_id, new[0]) == LEGACY_REALM_USER
    assert _perms(conn, demo.realm_id, existing) == P.STATS_READ | LEGACY_REALM_USER
    assert sorted(r[0] for _, r, _ in sink.messages) == [
        "new1@example.com",
        "old@example.com",
    ]


def test_import_without_lines_is_refused(signed_in, conn):
    before = _users(conn)
    signed_in.get("/realm/users/import")
    result = signed_in.form("/realm/users/import", {"csv": "  \n"})
    assert result.status_code == 422 and "at least one line" in result.text
    assert _users(conn) == before
