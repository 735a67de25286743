"""Queries on memberships joined with their realm (what the UI shows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class MembershipRow:
    """A user's membership with the realm fields the UI needs."""

    realm_id: int
    user_id: int
    permissions: int
    default_sms_template_label: str | None
    created_at: dt.datetime
    realm_name: str
    region_code: str | None


def list_for_user(conn: psycopg.Connection, user_id: int) -> list[MembershipRow]:
    """Return the user's memberships in live realms, ordered by realm name."""
    with conn.cursor(row_factory=class_row(MembershipRow)) as cur:
        return cur.execute(
            "SELECT m.realm_id, m.user_id, m.permissions,"
            " m.default_sms_template_label, m.created_at,"
            " r.name AS realm_name, r.region_code"
            " FROM memberships m JOIN realms r ON r.id = m.realm_id"
            " WHERE m.user_id = %(uid)s AND r.deleted_at IS NULL"
            " ORDER BY lower(r.name), r.id",
            {"uid": user_id},
        ).fetchall()
