"""Queries on realms."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import class_row

from db.rows import REALM_COLUMNS, Realm

_SELECT = f"SELECT {REALM_COLUMNS} FROM realms"  # noqa: S608 - column list is a constant


def get_realm(conn: psycopg.Connection, realm_id: int) -> Realm | None:
    """Return a live realm by id."""
    with conn.cursor(row_factory=class_row(Realm)) as cur:
        return cur.execute(
            _SELECT + " WHERE id = %(id)s AND deleted_at IS NULL", {"id": realm_id}
        ).fetchone()


def get_realm_by_name(conn: psycopg.Connection, name: str) -> Realm | None:
    """Return a live realm by (case-insensitive) name."""
    with conn.cursor(row_factory=class_row(Realm)) as cur:
        return cur.execute(
            _SELECT + " WHERE lower(name) = lower(%(name)s) AND deleted_at IS NULL",
            {"name": name},
        ).fetchone()


def get_realm_by_region(conn: psycopg.Connection, region_code: str) -> Realm | None:
    """Return a live realm by (case-insensitive) region code."""
    with conn.cursor(row_factory=class_row(Realm)) as cur:
        return cur.execute(
            _SELECT
            + " WHERE lower(region_code) = lower(%(rc)s) AND deleted_at IS NULL",
            {"rc": region_code},
        ).fetchone()


def list_realms(conn: psycopg.Connection) -> list[Realm]:
    """Return every live realm ordered by id."""
    with conn.cursor(row_factory=class_row(Realm)) as cur:
        return cur.execute(_SELECT + " WHERE deleted_at IS NULL ORDER BY id").fetchall()


def insert_realm(conn: psycopg.Connection, name: str, **columns: Any) -> int:
    """Insert a realm with ``name`` and optional column values; return its id."""
    values = {"name": name, **columns}
    query = sql.SQL("INSERT INTO realms ({cols}) VALUES ({vals}) RETURNING id").format(
        cols=sql.SQL(", ").join(sql.Identifier(c) for c in values),
        vals=sql.SQL(", ").join(sql.Placeholder(c) for c in values),
    )
    return conn.execute(query, values).fetchone()[0]


def update_realm(conn: psycopg.Connection, realm_id: int, **columns: Any) -> int:
    """Set the given columns of a realm; return rows affected."""
    if not columns:
        return 0
    query = sql.SQL(
        "UPDATE realms SET {sets}, updated_at = now() WHERE id = {id}"
    ).format(
        sets=sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder(c))
            for c in columns
        ),
        id=sql.Placeholder("__id"),
    )
    return conn.execute(query, {**columns, "__id": realm_id}).rowcount
