"""Paging of long lists (users, API keys, realms, audit events).

Resources read the requested page with :func:`requested`, run their query
with ``limit``/``offset`` and build a :class:`Page` from the total; the
``_pager.mako`` def renders the links, keeping the other query parameters.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import falcon

PER_PAGE = 25
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Page:
    """One page of a list: its number (from 1), its size and the list's total."""

    number: int
    per_page: int
    total: int

    @property
    def offset(self) -> int:
        """Rows to skip before this page."""
        return (self.number - 1) * self.per_page

    @property
    def limit(self) -> int:
        """Rows on a full page."""
        return self.per_page

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether there is a page before this one."""
        return self.number > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.number < self.pages


def requested(req: falcon.Request, per_page: int = PER_PAGE) -> tuple[int, int]:
    """Return the (page number, page size) asked for, clamped to sane values."""
    number = _positive(req.get_param("page"), 1)
    size = min(_positive(req.get_param("per_page"), per_page), MAX_PER_PAGE)
    return number, size


def page_of(req: falcon.Request, total: int, per_page: int = PER_PAGE) -> Page:
    """Return the requested page, moved back inside the list when past its end."""
    number, size = requested(req, per_page)
    page = Page(number, size, total)
    return Page(min(number, page.pages), size, total)


def page_url(req: falcon.Request, number: int) -> str:
    """Return the current path with ``page=number`` and the other parameters kept."""
    params = [(k, v) for k, v in req.params.items() if k != "page"]
    params.append(("page", str(number)))
    return f"{req.path}?{urllib.parse.urlencode(params, doseq=True)}"


def _positive(raw: str | None, default: int) -> int:
    try:
        value = int(raw or default)
    except ValueError:
        return default
    return value if value > 0 else default
