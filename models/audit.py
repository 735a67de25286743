"""Audit actors and entries (operations §11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from db.queries.audit import (
    AuditRow,
    count_audit_entries,
    insert_audit_entry,
    list_audit_entries,
)


@dataclass(frozen=True)
class Actor:
    """Who did something: a user, an API key or the system."""

    id: str
    display: str


SYSTEM = Actor("system:1", "System")


def user_actor(user_id: int, name: str, email: str) -> Actor:
    """Return the audit actor for a signed-in user."""
    return Actor(f"users:{user_id}", f"{name} ({email})")


def api_key_actor(app_id: int, name: str) -> Actor:
    """Return the audit actor for an API key."""
    return Actor(f"authorized_apps:{app_id}", name)


def change(old: object, new: object) -> str:
    """Return the diff text of one value changed from ``old`` to ``new``."""
    return f"-{old}\n+{new}\n"


def record(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    actor: Actor,
    action: str,
    target_id: str,
    target_display: str,
    diff: str | None = None,
) -> int:
    """Append an audit entry for ``actor`` doing ``action`` to a target."""
    return insert_audit_entry(
        conn,
        realm_id=realm_id,
        actor_id=actor.id,
        actor_display=actor.display,
        action=action,
        target_id=target_id,
        target_display=target_display,
        diff=diff,
    )


@dataclass(frozen=True)
class EventWindow:
    """The from/to filter of the audit log, as typed and as instants."""

    from_text: str = ""
    to_text: str = ""
    since: dt.datetime | None = None
    before: dt.datetime | None = None
    error: str = ""


def _parse_local(raw: str) -> tuple[dt.datetime, dt.timedelta]:
    # A datetime-local value names a minute (or a second); read it as UTC.
    value = dt.datetime.fromisoformat(raw)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    step = dt.timedelta(seconds=1) if len(raw) > 16 else dt.timedelta(minutes=1)
    return value, step


def event_window(raw_from: str | None, raw_to: str | None) -> EventWindow:
    """Read the from/to filter; both ends are inclusive (to the typed minute)."""
    from_text, to_text = (raw_from or "").strip(), (raw_to or "").strip()
    since = before = None
    try:
        if from_text:
            since = _parse_local(from_text)[0]
        if to_text:
            end, step = _parse_local(to_text)
            before = end + step
    except ValueError:
        return EventWindow(from_text, to_text, error="Invalid date filter.")
    if since and before and since >= before:
        return EventWindow(from_text, to_text, error="From must be before to.")
    return EventWindow(from_text, to_text, since, before)


def count_events(
    conn: psycopg.Connection, realm_id: int | None, window: EventWindow
) -> int:
    """Count the entries of a realm (None: every realm) inside ``window``."""
    return count_audit_entries(
        conn, realm_id=realm_id, since=window.since, before=window.before
    )


def list_events(
    conn: psycopg.Connection,
    realm_id: int | None,
    window: EventWindow,
    *,
    limit: int,
    offset: int,
) -> list[AuditRow]:
    """Return one page of entries inside ``window``, newest first."""
    return list_audit_entries(
        conn,
        realm_id=realm_id,
        since=window.since,
        before=window.before,
        limit=limit,
        offset=offset,
    )


def diff_lines(diff: str | None) -> list[tuple[str, str]]:
    """Split a stored diff into (kind, text) lines: ``removed``, ``added``, ``same``."""
    kinds = {"-": "removed", "+": "added"}
    return [
        (kinds.get(line[:1], "same"), line)
        for line in (diff or "").splitlines()
        if line
    ]
