"""Fixtures of the /admin HTTP tests: a client signed in as the system admin."""

from __future__ import annotations

import pytest


@pytest.fixture
def admin(browser, demo):
    """A client signed in as the demo system admin (no realm), CSRF token fresh."""
    result = browser.sign_in(demo.system_admin["email"], demo.system_admin["password"])
    assert result.status_code == 303, result.text
    assert browser.get("/admin/realms").status_code == 200
    return browser


def audit_actions(conn, realm_id: int | None = None) -> list[str]:
    """Return the actions audited by users, oldest first (optionally one realm)."""
    rows = conn.execute(
        "SELECT action FROM audit_entries WHERE actor_id LIKE 'users:%%'"
        " AND (%(realm)s::int IS NULL OR realm_id = %(realm)s) ORDER BY id",
        {"realm": realm_id},
    ).fetchall()
    return [r[0] for r in rows]


def audit_count(conn) -> int:
    """Count every audit entry."""
    return conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
