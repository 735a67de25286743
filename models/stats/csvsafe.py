"""CSV that spreadsheets cannot mistake for formulas (OWASP CSV injection).

Every CSV the server writes goes through :func:`to_csv`: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, so Excel, LibreOffice and Sheets show it as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: object) -> str:
    """Return ``cell`` as text, prefixed with ``'`` when it could start a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Iterable[Iterable[object]]) -> str:
    """Render rows as RFC 4180 CSV (CRLF line ends), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()
