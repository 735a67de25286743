"""The audit log is append-only: UPDATE and DELETE are refused by triggers,
except the retention purge's DELETE of old entries."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from db.queries.duties.purge import purge_audit_entries


def _entry(conn, created_at=None) -> int:
    return conn.execute(
        "INSERT INTO audit_entries (realm_id, actor_id, actor_display, action,"
        " target_id, target_display, created_at)"
        " VALUES (1, 'users:1', 'A', 'did', 't', 'T', coalesce(%s, now()))"
        " RETURNING id",
        (created_at,),
    ).fetchone()[0]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET action = 'changed' WHERE id = %(id)s",
        "UPDATE audit_entries SET diff = '-a\n+b' WHERE id = %(id)s",
        "DELETE FROM audit_entries WHERE id = %(id)s",
    ],
)
def test_statements_that_rewrite_history_are_refused(conn, statement):
    entry = _entry(conn)
    with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
        with conn.transaction():
            conn.execute(statement, {"id": entry})
    row = conn.execute(
        "SELECT action, diff FROM audit_entries WHERE id = %s", (entry,)
    ).fetchone()
    assert row == ("did", None)


def test_purge_removes_only_old_entries_and_leaves_the_guard_on(conn):
    now = dt.datetime.now(dt.UTC)
    old = _entry(conn, now - dt.timedelta(days=40))
    young = _entry(conn, now - dt.timedelta(days=1))
    with conn.transaction():
        assert purge_audit_entries(conn, cutoff=now - dt.timedelta(days=30)) >= 1
        # Still inside the purge's outer transaction: the flag was switched off.
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            with conn.transaction():
                conn.execute("DELETE FROM audit_entries WHERE id = %s", (young,))
    ids = {r[0] for r in conn.execute("SELECT id FROM audit_entries").fetchall()}
    assert old not in ids and young in ids
