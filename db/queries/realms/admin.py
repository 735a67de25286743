"""Queries behind the system-admin realm and mobile-app pages (across realms)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg
from psycopg.rows import class_row

from db.rows import MOBILE_APP_COLUMNS, REALM_COLUMNS, MobileApp, Realm

_LIVE = " FROM realms WHERE deleted_at IS NULL AND name ILIKE %(q)s"


def _like(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def count_realms(conn: psycopg.Connection, *, query: str) -> int:
    """Count live realms whose name contains ``query``."""
    return conn.execute("SELECT count(*)" + _LIVE, {"q": _like(query)}).fetchone()[0]


def search_realms(
    conn: psycopg.Connection, *, query: str, limit: int, offset: int
) -> list[Realm]:
    """Return one page of live realms whose name contains ``query``, by name."""
    with conn.cursor(row_factory=class_row(Realm)) as cur:
        return cur.execute(
            f"SELECT {REALM_COLUMNS}"  # noqa: S608 - column list is a constant
            + _LIVE
            + " ORDER BY lower(name), id LIMIT %(limit)s OFFSET %(offset)s",
            {"q": _like(query), "limit": limit, "offset": offset},
        ).fetchall()


def chaff_dates(
    conn: psycopg.Connection, *, realm_ids: list[int], since: dt.date
) -> dict[int, set[dt.date]]:
    """Return, per realm, the days since ``since`` on which chaff was seen."""
    rows = conn.execute(
        "SELECT realm_id, date FROM realm_chaff_events"
        " WHERE realm_id = ANY(%(ids)s) AND date >= %(since)s",
        {"ids": realm_ids, "since": since},
    ).fetchall()
    out: dict[int, set[dt.date]] = {}
    for realm_id, day in rows:
        out.setdefault(realm_id, set()).add(day)
    return out


@dataclass(frozen=True)
class Translation:
    """One synced dynamic translation of a realm."""

    locale: str
    message_id: str
    message: str


def realm_translations(conn: psycopg.Connection, realm_id: int) -> list[Translation]:
    """Return a realm's dynamic translations by locale and message id."""
    with conn.cursor(row_factory=class_row(Translation)) as cur:
        return cur.execute(
            "SELECT locale, message_id, message FROM dynamic_translations"
            " WHERE realm_id = %(id)s ORDER BY locale, message_id",
            {"id": realm_id},
        ).fetchall()


@dataclass(frozen=True)
class AppWithRealm:
    """A mobile app and the name of its realm."""

    app: MobileApp
    realm_name: str


_APPS = (
    " FROM mobile_apps a JOIN realms r ON r.id = a.realm_id"
    " WHERE a.deleted_at IS NULL AND r.deleted_at IS NULL"
    " AND (a.name ILIKE %(q)s OR r.name ILIKE %(q)s)"
)
_APP_COLUMNS = ", ".join(f"a.{c.strip()}" for c in MOBILE_APP_COLUMNS.split(","))


def count_mobile_apps(conn: psycopg.Connection, *, query: str) -> int:
    """Count enabled apps of live realms matching ``query`` (app or realm name)."""
    return conn.execute("SELECT count(*)" + _APPS, {"q": _like(query)}).fetchone()[0]


def search_mobile_apps(
    conn: psycopg.Connection, *, query: str, limit: int, offset: int
) -> list[AppWithRealm]:
    """Return one page of enabled apps of every realm, by realm id then name."""
    rows = conn.execute(
        f"SELECT {_APP_COLUMNS}, r.name"  # noqa: S608 - constant column list
        + _APPS
        + " ORDER BY a.realm_id, lower(a.name), a.id LIMIT %(limit)s OFFSET %(offset)s",
        {"q": _like(query), "limit": limit, "offset": offset},
    ).fetchall()
    return [AppWithRealm(MobileApp(*row[:-1]), row[-1]) for row in rows]


def get_mobile_app(conn: psycopg.Connection, app_id: int) -> AppWithRealm | None:
    """Return an enabled app of a live realm by id."""
    row = conn.execute(
        f"SELECT {_APP_COLUMNS}, r.name"  # noqa: S608 - constant column list
        " FROM mobile_apps a JOIN realms r ON r.id = a.realm_id"
        " WHERE a.id = %(id)s AND a.deleted_at IS NULL AND r.deleted_at IS NULL",
        {"id": app_id},
    ).fetchone()
    return AppWithRealm(MobileApp(*row[:-1]), row[-1]) if row else None
