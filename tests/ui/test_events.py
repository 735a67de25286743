"""The audit log pages: ``/realm/events`` and the system view ``/admin/events``."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from models import audit
from models.accounts.rbac import LEGACY_REALM_ADMIN, Permission

BASE = dt.datetime(2024, 5, 10, 12, 0, tzinfo=dt.UTC)


def _add(conn, realm_id: int, action: str, at: dt.datetime, diff=None) -> int:
    return conn.execute(
        "INSERT INTO audit_entries (realm_id, actor_id, actor_display, action,"
        " target_id, target_display, diff, created_at)"
        " VALUES (%s, 'users:9', 'Ann (ann@example.com)', %s, 'realms:1', 'Target',"
        " %s, %s) RETURNING id",
        (realm_id, action, diff, at),
    ).fetchone()[0]


def _actions(html: str) -> list[str]:
    return re.findall(r'<h2 class="h6 mb-1 event-action">([^<]*)</h2>', html)


@pytest.fixture
def history(conn, demo):
    """Five entries an hour apart in the demo realm and one elsewhere."""
    for n in range(5):
        _add(conn, demo.realm_id, f"action {n}", BASE + dt.timedelta(hours=n))
    _add(conn, demo.realm_id + 1000, "foreign action", BASE)
    return demo


def _only_history(html: str) -> list[str]:
    # The bootstrap's own entries are older than BASE or newer; keep ours.
    return [a for a in _actions(html) if a.startswith(("action", "foreign"))]


def test_newest_first_and_realm_scoped(signed_in, history):
    result = signed_in.get("/realm/events?from=2024-05-10T00:00&to=2024-05-11T00:00")
    assert result.status_code == 200
    assert _actions(result.text) == [f"action {n}" for n in (4, 3, 2, 1, 0)]
    assert "foreign action" not in result.text
    assert "Ann (ann@example.com)" in result.text and "Target" in result.text


def test_from_and_to_are_inclusive(signed_in, history):
    html = signed_in.get("/realm/events?from=2024-05-10T13:00&to=2024-05-10T15:00").text
    assert _actions(html) == ["action 3", "action 2", "action 1"]
    html = signed_in.get("/realm/events?from=2024-05-10T15:00").text
    assert _only_history(html) == ["action 4", "action 3"]
    html = signed_in.get("/realm/events?to=2024-05-10T12:00").text
    assert _only_history(html) == ["action 0"]
    # The form keeps what was typed.
    assert 'value="2024-05-10T12:00"' in html


def test_bad_filter_is_reported(signed_in, history):
    result = signed_in.get("/realm/events?from=yesterday")
    assert result.status_code == 422
    assert "Invalid date filter." in result.text
    result = signed_in.get("/realm/events?from=2024-05-11T00:00&to=2024-05-10T00:00")
    assert result.status_code == 422 and "From must be before to." in result.text


def test_paging(signed_in, history):
    window = "from=2024-05-10T00:00&to=2024-05-11T00:00"
    first = signed_in.get(f"/realm/events?{window}&per_page=2").text
    assert _actions(first) == ["action 4", "action 3"]
    assert "5 total" in first
    link = "from=2024-05-10T00%3A00&amp;to=2024-05-11T00%3A00&amp;per_page=2&amp;page=2"
    assert f'href="/realm/events?{link}"' in first
    third = signed_in.get(f"/realm/events?{window}&per_page=2&page=3").text
    assert _actions(third) == ["action 0"]


def test_diff_is_a_collapsible_list_of_changes(signed_in, conn, demo):
    entry = _add(conn, demo.realm_id, "updated realm", BASE, "-old name\n+new <name>\n")
    html = signed_in.get("/realm/events?from=2024-05-10T12:00&to=2024-05-10T12:00").text
    assert f'data-bs-target="#diff-{entry}"' in html
    assert f'<div class="collapse" id="diff-{entry}">' in html
    assert '<span class="diff-removed text-danger">-old name</span>' in html
    assert '<span class="diff-added text-success">+new &lt;name&gt;</span>' in html


def test_audit_read_is_required(signed_in, conn, demo):
    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (int(LEGACY_REALM_ADMIN) & ~Permission.AUDIT_READ, demo.realm_id),
    )
    assert signed_in.get("/realm/events").status_code == 401


def test_no_route_changes_an_entry(signed_in, history):
    signed_in.get("/realm/events")
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        result = signed_in.request(
            method, "/realm/events", headers={"X-CSRF-Token": signed_in.csrf}
        )
        assert result.status_code == 405, method
    for path in ("/realm/events/1", "/admin/events/1"):
        result = signed_in.request(
            "DELETE", path, headers={"X-CSRF-Token": signed_in.csrf}
        )
        assert result.status_code == 404, path


def test_system_view_spans_realms_and_needs_a_system_admin(browser, signed_in, history):
    assert signed_in.get("/admin/events").status_code == 401  # a realm admin
    browser.cookies.clear()
    result = browser.sign_in(
        history.system_admin["email"], history.system_admin["password"]
    )
    assert result.status_code == 303
    html = browser.get("/admin/events?from=2024-05-10T12:00&to=2024-05-10T12:00").text
    assert sorted(_actions(html)) == ["action 0", "foreign action"]
    assert "Demo" in html  # the realm's name is shown beside its entries


def test_event_window_parsing():
    window = audit.event_window("2024-05-10T12:00", "2024-05-10T12:30:15")
    assert window.since == BASE
    assert window.before == BASE + dt.timedelta(minutes=30, seconds=16)
    assert audit.event_window("", None) == audit.EventWindow()
    assert audit.event_window("2024-13-01T00:00", "").error
