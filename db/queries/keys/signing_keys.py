"""Queries on realm certificate-signing keys (``signing_keys``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class SigningKeyRow:
    """A realm certificate key; ``key_id`` names the key version in the key store."""

    id: int
    created_at: dt.datetime
    realm_id: int
    key_id: str
    active: bool

    @property
    def kid(self) -> str:
        """Return the JWT ``kid`` of this key (``r<realmID>v<rowID>``)."""
        return f"r{self.realm_id}v{self.id}"


_SELECT = "SELECT id, created_at, realm_id, key_id, active FROM signing_keys"


def active_realm_signing_key(
    conn: psycopg.Connection, *, realm_id: int
) -> SigningKeyRow | None:
    """Return the realm's active, non-deleted certificate key."""
    with conn.cursor(row_factory=class_row(SigningKeyRow)) as cur:
        return cur.execute(
            _SELECT + " WHERE realm_id = %(realm_id)s AND active"
            " AND deleted_at IS NULL",
            {"realm_id": realm_id},
        ).fetchone()


def list_realm_signing_keys(
    conn: psycopg.Connection, *, realm_id: int | None = None
) -> list[SigningKeyRow]:
    """Return non-deleted realm keys (of one realm, or all), newest first."""
    with conn.cursor(row_factory=class_row(SigningKeyRow)) as cur:
        return cur.execute(
            _SELECT + " WHERE deleted_at IS NULL"
            " AND (%(realm_id)s::integer IS NULL OR realm_id = %(realm_id)s)"
            " ORDER BY created_at DESC, id DESC",
            {"realm_id": realm_id},
        ).fetchall()


def insert_signing_key(
    conn: psycopg.Connection, *, realm_id: int, key_id: str, active: bool
) -> SigningKeyRow:
    """Insert a realm certificate key row; return it."""
    with conn.cursor(row_factory=class_row(SigningKeyRow)) as cur:
        return cur.execute(
            "INSERT INTO signing_keys (realm_id, key_id, active)"
            " VALUES (%(realm_id)s, %(key_id)s, %(active)s)"
            " RETURNING id, created_at, realm_id, key_id, active",
            {"realm_id": realm_id, "key_id": key_id, "active": active},
        ).fetchone()
