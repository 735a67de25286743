"""System-admin use cases on people: create admins, revoke, delete, sign out.

The ``/admin/users`` pages and ``encv admin create-system-admin`` share them.
Events about people who belong to no realm are audited under realm 0.
"""

from __future__ import annotations

import datetime as dt

import psycopg

from db.crypto import Envelope
from db.queries.accounts import admin_users as q
from db.queries.accounts import auth as auth_q
from db.queries.accounts import users as users_q
from db.rows import User
from models import audit
from models.accounts import invites
from models.errors import InvalidInput, NotFound
from models.settings import UiSettings

SYSTEM_REALM = 0


def _target(user: User) -> tuple[str, str]:
    return f"users:{user.id}", f"{user.name} ({user.email})"


def _record(conn, actor: audit.Actor, action: str, user: User) -> None:
    target_id, display = _target(user)
    audit.record(
        conn,
        realm_id=SYSTEM_REALM,
        actor=actor,
        action=action,
        target_id=target_id,
        target_display=display,
    )


def create_system_admin(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    email: str,
    name: str | None,
    actor: audit.Actor,
    now: dt.datetime,
    envelope: Envelope | None = None,
) -> invites.Invited:
    """Make a (new or existing) user a system admin; invite through system SMTP."""
    email = invites.clean_email(email)
    name = invites.clean_person_name(name, email)
    with conn.transaction():
        user, created = invites.find_or_create_user(conn, email, name)
        if q.set_system_admin(conn, user.id, True):
            _record(conn, actor, "granted system admin", user)
        link, mailed = invites.invite(
            conn,
            ui,
            user=user,
            realm=None,
            now=now,
            envelope=envelope,
            system_only=True,
        )
    return invites.Invited(user.id, user.email, None, link, mailed, created)


def _other_user(conn, user_id: int, actor_user_id: int | None, message: str) -> User:
    if user_id == actor_user_id:
        raise InvalidInput(message)
    user = users_q.get_user(conn, user_id)
    if user is None:
        raise NotFound("user not found")
    return user


def revoke_system_admin(
    conn: psycopg.Connection, user_id: int, *, actor: audit.Actor, actor_user_id: int
) -> User:
    """Clear a user's system-admin flag (never one's own)."""
    with conn.transaction():
        user = _other_user(conn, user_id, actor_user_id, "Cannot remove yourself!")
        if q.set_system_admin(conn, user.id, False):
            _record(conn, actor, "revoked system admin", user)
    return user


def delete_user(
    conn: psycopg.Connection, user_id: int, *, actor: audit.Actor, actor_user_id: int
) -> User:
    """Hard-delete a user and their memberships (never oneself)."""
    with conn.transaction():
        user = _other_user(conn, user_id, actor_user_id, "Cannot delete yourself!")
        q.delete_user(conn, user.id)
        _record(conn, actor, "deleted user", user)
    return user


def revoke_sessions(
    conn: psycopg.Connection, user_id: int, *, actor: audit.Actor, now: dt.datetime
) -> User:
    """Sign a user out everywhere (every session older than now)."""
    with conn.transaction():
        user = users_q.get_user(conn, user_id)
        if user is None:
            raise NotFound("user not found")
        auth_q.revoke_sessions(conn, user.id, now)
        _record(conn, actor, "revoked user sessions", user)
    return user


def count_users(conn: psycopg.Connection, query: str, admins_only: bool) -> int:
    """Count users whose name or email contains ``query``."""
    return q.count_users(conn, query=query, admins_only=admins_only)


def search_users(
    conn: psycopg.Connection, query: str, admins_only: bool, limit: int, offset: int
) -> list[User]:
    """Return one page of users matching ``query`` by lower-case name."""
    return q.search_users(
        conn, query=query, admins_only=admins_only, limit=limit, offset=offset
    )


def get_user(conn: psycopg.Connection, user_id: int) -> User | None:
    """Return a user by id."""
    return users_q.get_user(conn, user_id)
