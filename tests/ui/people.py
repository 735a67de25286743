"""Helpers of the realm people tests: members with chosen bits, audit rows."""

from __future__ import annotations

import html

from db.queries.accounts import users as users_q
from models.accounts.passwords import hash_password
from tests.ui.client import UiClient

PASSWORD = "Member-Password-42!"


def add_member(conn, realm_id: int, email: str, permissions: int, name="") -> int:
    """Create a signed-up user with ``permissions`` in the realm; return the id."""
    user_id = users_q.upsert_user(
        conn, email=email, name=name or email.split("@")[0], system_admin=False
    )
    users_q.set_password_hash(conn, user_id, hash_password(PASSWORD))
    users_q.mark_email_verified(conn, user_id)
    users_q.upsert_membership(
        conn, realm_id=realm_id, user_id=user_id, permissions=permissions
    )
    return user_id


def member_client(app, conn, realm_id: int, email: str, permissions: int):
    """Return a UiClient signed in as a new member holding ``permissions``."""
    add_member(conn, realm_id, email, permissions)
    client = UiClient(app)
    assert client.sign_in(email, PASSWORD).status_code == 303
    client.get("/login/select-realm")
    # The demo realm prompts for MFA once per session.
    client.get("/login/register-phone")
    return client


def audit_rows(conn, action: str) -> list[tuple]:
    """Return (actor_id, target_id, target_display, diff) of ``action`` entries."""
    return conn.execute(
        "SELECT actor_id, target_id, target_display, diff FROM audit_entries"
        " WHERE action = %s ORDER BY id",
        (action,),
    ).fetchall()


def count(conn, sql: str, *params) -> int:
    """Return the single integer a counting query answers."""
    return conn.execute(sql, params).fetchone()[0]


def shown(result) -> str:
    """Return a page's text with HTML entities decoded (quotes in flashes)."""
    return html.unescape(result.text)


def assert_refused(app, conn, demo, table: str, method: str, url: str, bits: int):
    """Check a member with only ``bits`` (plus CodeIssue) gets 401, no write."""
    client = member_client(app, conn, demo.realm_id, "m@example.com", 16 | bits)
    snapshot = f"SELECT * FROM {table} ORDER BY id"  # noqa: S608 - test constant
    before = conn.execute(snapshot).fetchall()
    if method == "GET":
        result = client.get(url)
    else:
        fields = {"_method": method, "name": "x", "type": "1", "os": "2"}
        result = client.form(url, fields)
    assert result.status_code == 401
    assert conn.execute(snapshot).fetchall() == before
