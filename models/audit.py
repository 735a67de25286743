"""Audit actors and entries (operations §11)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from db.queries.audit import insert_audit_entry


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
