"""Spreadsheet-safe CSV cells (the OWASP "CSV injection" rule).

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and
some also after a leading tab or carriage return) as a formula, so a value
such as ``=cmd|' /C calc'!A0`` typed into an upload comes back as a command
in the downloaded file. Such cells get a leading apostrophe, which every
spreadsheet shows as text. Plain numbers (``-3``, ``+15555550100``) are left
alone: they cannot be formulas and the statistics need their signs.
Every CSV the server writes goes through :func:`to_csv`; the bulk-issue
receipt, built in the browser, applies the same rule (``csvCell`` in
ui/static/app.js).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise_cell(value: object) -> str:
    """Return ``value`` as text a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    if text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[object]) -> list[str]:
    """Return a CSV row with every cell neutralised."""
    return [neutralise_cell(cell) for cell in row]


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    """Render rows as RFC 4180 CSV (CRLF line ends), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(safe_row(row) for row in rows)
    return out.getvalue()
