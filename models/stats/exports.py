"""One stats report as an HTTP download: JSON body or CSV attachment.

Shared by the admin API (``/api/stats/*``) and the web UI (``/stats/*``)
so both answer with the same bytes, file names and content types.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.stats.csvsafe import to_csv
from models.stats.reports import Report

FORMATS = frozenset({"json", "csv"})


@dataclass(frozen=True)
class Download:
    """What to answer: a JSON object (``media``) or a CSV attachment."""

    content_type: str
    media: object = None
    body: str = ""
    filename: str | None = None

    @property
    def disposition(self) -> str | None:
        """The Content-Disposition header value, if the body is a file."""
        return f"attachment;filename={self.filename}" if self.filename else None


def render(report: Report, fmt: str, now: dt.datetime) -> Download:
    """Render ``report`` as ``json`` or ``csv`` (empty data: ``{}`` / empty body)."""
    if fmt == "json":
        return Download("application/json", media=report.json)
    if fmt != "csv":
        raise ValueError(f"unknown stats format {fmt!r}")
    stamp = now.strftime("%Y%m%d%H%M%S")
    body = to_csv(report.csv) if report.csv else ""
    return Download("text/csv", body=body, filename=f"{stamp}-{report.name}.csv")
