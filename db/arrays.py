"""Array parameters as PostgreSQL literals.

psycopg dumps a Python list by inspecting its items to choose an element
type, in Python, on every execution; on the device API's hot statements that
was a tenth of the parameter handling. A literal is one ``str``, which
psycopg passes through as it is; the statement casts it
(``%(hmacs)s::text[]``), so the parameter types and plans are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable


def text_array(values: Iterable[str]) -> str:
    """Return ``values`` as a text[] literal (every item quoted and escaped)."""
    items = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{item}"' for item in items) + "}"


def int_array(values: Iterable[int]) -> str:
    """Return ``values`` as an integer array literal."""
    return "{" + ",".join(str(int(v)) for v in values) + "}"
