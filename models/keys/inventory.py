"""What ``/admin/info`` shows: build, keys, secrets and settings, redacted."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from importlib import metadata

import psycopg

from db.queries.keys import inventory as q
from models.settings import Secret, Settings

REDACTED = "(redacted)"


def version() -> str:
    """Return the installed encv version."""
    try:
        return metadata.version("encv")
    except metadata.PackageNotFoundError:
        return "unknown"


def token_keys(conn: psycopg.Connection) -> list[q.TokenKey]:
    """Return the token-signing keys, newest first."""
    return q.token_keys(conn)


def secrets_by_type(conn: psycopg.Connection) -> dict[str, list[q.SecretVersion]]:
    """Return secret references grouped by type, in consumption order."""
    out: dict[str, list[q.SecretVersion]] = {}
    for row in q.secret_versions(conn):
        out.setdefault(row.type, []).append(row)
    return out


def _show(value) -> str:
    if isinstance(value, Secret):
        return REDACTED if value else "(not set)"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value))
    return str(value)


def settings_summary(settings: Settings) -> list[tuple[str, str]]:
    """Return (dotted name, shown value) for every setting; secrets redacted."""
    rows: list[tuple[str, str]] = []

    def walk(obj, prefix: str) -> None:
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            name = f"{prefix}{f.name}"
            if dataclasses.is_dataclass(value) and not isinstance(value, Secret):
                walk(value, name + ".")
            else:
                rows.append((name, _show(value)))

    walk(settings, "")
    return rows
