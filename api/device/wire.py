"""Wire details of the device API resources (protocol §1.5, §4)."""

from __future__ import annotations

import datetime as dt


def day(value: dt.date | None) -> str | None:
    """Render a calendar date as ``YYYY-MM-DD`` (None stays None)."""
    return value.isoformat() if value else None


def without_empty(body: dict) -> dict:
    """Drop keys whose value is empty, like Go's ``omitempty``."""
    return {key: value for key, value in body.items() if value}
