"""What a signed-in person may reach: memberships, gates and landing pages."""

from __future__ import annotations

import datetime as dt

import psycopg

from db.queries.accounts import memberships as members_q
from db.queries.accounts.memberships import MembershipRow
from db.queries.realms import core as realms_q
from db.rows import Realm
from models.accounts.rbac import Permission

# Realm mfa_mode / email_verified_mode values (ui-and-data §6.1).
MODE_PROMPT, MODE_REQUIRED, MODE_OPTIONAL = 0, 1, 2

# §3.3: the first page the member can use, in this order.
LANDING = (
    (Permission.CODE_ISSUE, "/codes/issue"),
    (Permission.CODE_BULK_ISSUE, "/codes/bulk-issue"),
    (Permission.STATS_READ, "/realm/stats"),
    (Permission.SETTINGS_READ, "/realm/settings"),
    (Permission.AUDIT_READ, "/realm/events"),
    (Permission.USER_READ, "/realm/users"),
    (Permission.API_KEY_READ, "/realm/apikeys"),
    (Permission.MOBILE_APP_READ, "/realm/mobile-apps"),
)


def for_user(conn: psycopg.Connection, user_id: int) -> list[MembershipRow]:
    """Return the user's memberships ordered by realm name."""
    return members_q.list_for_user(conn, user_id)


def find(members: list[MembershipRow], realm_id: int | None) -> MembershipRow | None:
    """Return the membership in ``realm_id`` among ``members``."""
    if not realm_id:
        return None
    return next((m for m in members if m.realm_id == realm_id), None)


def landing_path(permissions: int) -> str:
    """Return where post-authentication sends a member."""
    for permission, path in LANDING:
        if permissions & permission:
            return path
    return "/codes/issue"


def admin_landing(system_admin: bool, members: list[MembershipRow]) -> str | None:
    """Return ``/admin`` for a system admin who belongs to no realm, else None."""
    return "/admin" if system_admin and not members else None


def effective_mfa_mode(
    realm: Realm, membership: MembershipRow, now: dt.datetime
) -> int:
    """Return the realm MFA mode, softened to prompt during the grace period."""
    mode = realm.mfa_mode
    grace = dt.timedelta(seconds=realm.mfa_required_grace_period or 0)
    if mode == MODE_REQUIRED and now - membership.created_at <= grace:
        return MODE_PROMPT
    return mode


def realm_of(conn: psycopg.Connection, membership: MembershipRow) -> Realm | None:
    """Return the live realm of a membership."""
    return realms_q.get_realm(conn, membership.realm_id)
