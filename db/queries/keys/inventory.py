"""Read-only listings of system keys and secrets for the info page (no values)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row


@dataclass(frozen=True)
class TokenKey:
    """A token-signing key: its JWT kid, key version and state."""

    uuid: str
    key_version_id: str
    created_at: dt.datetime
    is_active: bool


@dataclass(frozen=True)
class SecretVersion:
    """A secret's reference and state, never its value."""

    type: str
    reference: str
    created_at: dt.datetime
    active: bool


def token_keys(conn: psycopg.Connection) -> list[TokenKey]:
    """Return every token-signing key, newest first."""
    with conn.cursor(row_factory=class_row(TokenKey)) as cur:
        return cur.execute(
            "SELECT uuid::text AS uuid, key_version_id, created_at, is_active"
            " FROM token_signing_keys ORDER BY created_at DESC, id DESC"
        ).fetchall()


def secret_versions(conn: psycopg.Connection) -> list[SecretVersion]:
    """Return live secrets by type, in consumption order (active, then newest)."""
    with conn.cursor(row_factory=class_row(SecretVersion)) as cur:
        return cur.execute(
            "SELECT type, reference, created_at, active FROM secrets"
            " WHERE deleted_at IS NULL"
            " ORDER BY type, active DESC, created_at DESC, id DESC"
        ).fetchall()
