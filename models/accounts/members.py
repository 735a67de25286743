"""A realm's members: search, invite, edit, remove and bulk permission changes.

Every function here is one unit of work (one transaction) and free of HTTP,
so the web UI and the command line (``encv user add``) share them. Grants go
through :func:`models.accounts.rbac.compile_and_authorize` (§4.4): nobody
grants a bit they do not hold, and nobody changes their own permissions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from db.crypto import Envelope
from db.queries.accounts import members as q
from db.queries.accounts import users as users_q
from db.queries.accounts.members import Member, MemberFilter
from db.queries.realms import core as realms_q
from models import audit
from models.accounts import flows, invites
from models.accounts.rbac import (
    ALL_BITS,
    PERMISSION_NAMES,
    GrantError,
    add_implied,
    compile_and_authorize,
    names,
)
from models.errors import InvalidInput
from models.settings import UiSettings

EXPORT_LIMIT = 10_000
_BY_NAME = {name.lower(): int(bit) for bit, name in PERMISSION_NAMES.items()}


class MemberError(InvalidInput):
    """Bad input for a member; ``fields`` maps form fields to messages."""


@dataclass(frozen=True)
class Invitation:
    """The outcome of :func:`invite_member`."""

    user_id: int
    created: bool
    link: str
    email: str = ""
    realm_id: int | None = None
    mailed: bool = False

    @property
    def set_password_url(self) -> str:
        """The set-password link (what the command line prints)."""
        return self.link


def parse_search(query: str) -> MemberFilter:
    """Parse the users list's search grammar (§5.5) into a filter."""
    name = email = None
    words: list[str] = []
    can = cannot = 0
    for term in (query or "").split():
        kind, sep, value = term.partition(":")
        kind = kind.lower() if sep else ""
        if kind in ("name", "email"):
            if (name if kind == "name" else email) is not None:
                raise MemberError(f"{kind}: may only be given once")
            if kind == "name":
                name = value
            else:
                email = value
        elif kind in ("can", "cannot"):
            bit = _BY_NAME.get(value.lower())
            if bit is None:
                raise MemberError(f"unknown permission {value!r}")
            if kind == "can":
                can |= bit
            else:
                cannot |= bit
        else:
            words.append(term)
    return MemberFilter(
        name=name,
        email=email,
        words="|".join(words) or None,
        can=can,
        cannot=cannot,
    )


def search(
    conn: psycopg.Connection, realm_id: int, where: MemberFilter, *, limit, offset
) -> tuple[int, list[Member]]:
    """Return (total, one page) of the realm's members matching ``where``."""
    try:
        # A savepoint: a broken user regex must not poison an outer transaction.
        with conn.transaction():
            total = q.count_members(conn, realm_id, where)
            rows = q.list_members(conn, realm_id, where, limit=limit, offset=offset)
    except psycopg.errors.InvalidRegularExpression as ex:
        reason = ex.diag.message_primary
        raise MemberError(f"invalid regular expression: {reason}") from ex
    return total, rows


def get_member(conn: psycopg.Connection, realm_id: int, user_id: int) -> Member | None:
    """Return a member of the realm, or None (also for other realms' users)."""
    return q.get_member(conn, realm_id, user_id)


def permission_diff(old: int, new: int) -> str:
    """Return an audit diff of permission names (``-Name``/``+Name`` lines)."""
    lines = [f"-{n}" for n in names(old & ~new)] + [f"+{n}" for n in names(new & ~old)]
    return "".join(line + "\n" for line in lines)


def _grant(actor_permissions: int | None, requested: list[int]) -> int:
    try:
        return compile_and_authorize(
            ALL_BITS if actor_permissions is None else actor_permissions, requested
        )
    except GrantError as ex:
        raise MemberError(str(ex), {"permissions": str(ex)}) from ex


def _is_self(actor: audit.Actor, user_id: int) -> bool:
    return actor.id == f"users:{user_id}"


def _target(member_or_user) -> tuple[str, str]:
    user_id = getattr(member_or_user, "user_id", None) or member_or_user.id
    return f"users:{user_id}", f"{member_or_user.name} ({member_or_user.email})"


def _write_permissions(conn, realm_id, actor, member, new_perms) -> None:
    """Store a member's new permissions (0 removes them) and audit it."""
    target_id, display = _target(member)
    if new_perms == 0:
        q.delete_membership(conn, realm_id, member.user_id)
        action, diff = "removed user from realm", None
    else:
        users_q.upsert_membership(
            conn, realm_id=realm_id, user_id=member.user_id, permissions=new_perms
        )
        action = "updated user permissions"
        diff = permission_diff(member.permissions, new_perms)
    audit.record(
        conn,
        realm_id=realm_id,
        actor=actor,
        action=action,
        target_id=target_id,
        target_display=display,
        diff=diff,
    )


def invite_member(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    realm_id: int,
    email: str,
    name: str,
    permissions: list[int],
    actor: audit.Actor,
    actor_permissions: int | None = None,
    now: dt.datetime,
    envelope: Envelope | None = None,
    send_email: bool = True,
    merge_permissions: bool = False,
) -> Invitation:
    """Add ``email`` to the realm with ``permissions`` and invite them.

    An existing user (of any realm) is reused and keeps their name. The user,
    membership, audit entries and invitation token are one transaction; when
    ``send_email`` is set the mail is sent inside it, so a failed send leaves
    nothing behind. ``actor_permissions`` None means a trusted caller (the
    command line) that may grant anything; ``merge_permissions`` ORs the grant
    onto an existing membership instead of replacing it (the CSV import).
    """
    email, name = (email or "").strip(), (name or "").strip()
    if not email:
        raise MemberError("email cannot be blank", {"email": "cannot be blank"})
    if "@" not in email:
        raise MemberError("email must contain @", {"email": "must contain @"})
    if not invites.EMAIL_RE.fullmatch(email):
        message = f"{email!r} is not a valid email address"
        raise MemberError(message, {"email": "is not a valid email address"})
    granted = _grant(actor_permissions, permissions)
    with conn.transaction():
        if realms_q.get_realm(conn, realm_id) is None:
            raise MemberError(f"unknown realm {realm_id}")
        user = users_q.get_user_by_email(conn, email)
        created = user is None
        if created:
            if not name:
                raise MemberError("name cannot be blank", {"name": "cannot be blank"})
            user_id = q.insert_user(conn, email=email, name=name)
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action="created user",
                target_id=f"users:{user_id}",
                target_display=f"{name} ({email})",
            )
        else:
            user_id = user.id
        _add_to_realm(conn, realm_id, actor, user_id, granted, merge_permissions)
        realm = realms_q.get_realm(conn, realm_id)
        link = flows.send_invite(
            conn,
            ui,
            user_id=user_id,
            realm=realm,
            now=now,
            envelope=envelope,
            deliver=send_email,
        )
    return Invitation(
        user_id=user_id,
        created=created,
        link=link,
        email=email,
        realm_id=realm_id,
        mailed=send_email,
    )


def _add_to_realm(conn, realm_id, actor, user_id, granted, keep_existing=False):
    existing = q.get_member(conn, realm_id, user_id, lock=True)
    if _is_self(actor, user_id) and existing is not None:
        return  # users never change their own permissions
    if existing is None:
        user = users_q.get_user(conn, user_id)
        users_q.upsert_membership(
            conn, realm_id=realm_id, user_id=user_id, permissions=granted
        )
        target_id, display = _target(user)
        audit.record(
            conn,
            realm_id=realm_id,
            actor=actor,
            action="added user to realm",
            target_id=target_id,
            target_display=display,
            diff=permission_diff(0, granted),
        )
        return
    new = existing.permissions | granted if keep_existing else granted
    if new != existing.permissions:
        _write_permissions(conn, realm_id, actor, existing, new)


def update_member(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    user_id: int,
    name: str,
    permissions: list[int],
    actor: audit.Actor,
    actor_permissions: int,
) -> Member:
    """Rename a member and set their permissions (not one's own); return it."""
    name = (name or "").strip()
    if not name:
        raise MemberError("name cannot be blank", {"name": "cannot be blank"})
    granted = _grant(actor_permissions, permissions)
    with conn.transaction():
        member = q.get_member(conn, realm_id, user_id, lock=True)
        if member is None:
            raise MemberError("user not found")
        if name != member.name:
            q.rename_user(conn, user_id, name)
            audit.record(
                conn,
                realm_id=realm_id,
                actor=actor,
                action="updated user's name",
                target_id=f"users:{user_id}",
                target_display=f"{name} ({member.email})",
                diff=audit.change(member.name, name),
            )
        # Bits the actor lacks are not editable on the form; keep them rather
        # than silently dropping them as the original did.
        granted = add_implied(granted | (member.permissions & ~actor_permissions))
        if not _is_self(actor, user_id) and granted != member.permissions:
            _write_permissions(conn, realm_id, actor, member, granted)
        return q.get_member(conn, realm_id, user_id)


def remove_member(
    conn: psycopg.Connection, *, realm_id: int, user_id: int, actor: audit.Actor
) -> Member:
    """Remove a user from the realm (never oneself); return who was removed."""
    if _is_self(actor, user_id):
        raise MemberError("cannot remove self")
    with conn.transaction():
        member = q.get_member(conn, realm_id, user_id, lock=True)
        if member is None:
            raise MemberError("user not found")
        _write_permissions(conn, realm_id, actor, member, 0)
    return member


def bulk_permissions(
    conn: psycopg.Connection,
    *,
    realm_id: int,
    user_ids: list[int],
    permissions: list[int],
    add: bool,
    actor: audit.Actor,
    actor_permissions: int,
) -> int:
    """Add or remove bits on many members at once; return how many changed.

    All or nothing. Adding follows the granting rules; removing accepts any
    bits and re-adds what the remaining bits imply. The actor is skipped.
    """
    if add:
        bits = _grant(actor_permissions, permissions)
    else:
        bits = 0
        for value in permissions:
            if value not in PERMISSION_NAMES and value & ~ALL_BITS:
                raise MemberError(f"provided permission {value} is unknown")
            bits |= value
    changed = 0
    with conn.transaction():
        for member in q.lock_members(conn, realm_id, sorted(set(user_ids))):
            if _is_self(actor, member.user_id):
                continue
            if add:
                new = member.permissions | bits
            else:
                new = member.permissions & ~bits
                new = add_implied(new) if new else 0
            if new != member.permissions:
                _write_permissions(conn, realm_id, actor, member, new)
                changed += 1
    return changed


def send_password_reset(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    realm_id: int,
    user_id: int,
    actor: audit.Actor,
    now: dt.datetime,
    envelope: Envelope | None = None,
) -> Member:
    """Mail a member a password-reset link (audited); older links die."""
    with conn.transaction():
        member = q.get_member(conn, realm_id, user_id)
        if member is None:
            raise MemberError("user not found")
        target_id, display = _target(member)
        audit.record(
            conn,
            realm_id=realm_id,
            actor=actor,
            action="sent password reset",
            target_id=target_id,
            target_display=display,
        )
        flows.admin_reset_password(
            conn,
            ui,
            user_id=user_id,
            realm=realms_q.get_realm(conn, realm_id),
            now=now,
            envelope=envelope,
        )
    return member


def export_members(conn: psycopg.Connection, realm_id: int) -> list[Member]:
    """Return up to 10,000 members for the CSV export, by name."""
    return q.list_members(conn, realm_id, MemberFilter(), limit=EXPORT_LIMIT)
