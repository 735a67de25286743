"""Array parameters as PostgreSQL literals.

psycopg dumps a Python list by inspecting its items to choose an element
type, in Python, on every execution; on the hot statements (the device API's
claims, the issue insert with its twelve columns) that was a large part of
the parameter handling. A literal is one ``str``, which psycopg passes on as
it is; the statement casts it (``%(hmacs)s::text[]``), so the parameter
types and plans are unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from uuid import UUID


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return f'"{value.isoformat()}"'
    if isinstance(value, (str, UUID)):
        text = str(value).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'
    raise TypeError(f"no array literal for {type(value).__name__}")


def array_literal(values: Iterable[Any]) -> str:
    """Return a one-dimensional array literal (None is NULL; cast it in SQL)."""
    items = list(values)
    if all(type(v) is int for v in items):  # counters' deltas: the common case
        return "{" + ",".join(map(str, items)) + "}"
    return "{" + ",".join(map(_element, items)) + "}"
