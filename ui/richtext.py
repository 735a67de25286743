"""Markdown written by realm and system admins, turned into HTML safe to embed.

Two layers: markdown-it never passes raw HTML through (``html`` off) and
refuses ``javascript:``-style links; nh3 then keeps only an allow-list of
tags, attributes and URL schemes, so a parser bug cannot smuggle markup in.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
SCHEMES = {"http", "https", "mailto"}

_PARSER = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
    ["table", "strikethrough"]
)


def markdown_html(text: str | None) -> str:
    """Return sanitised HTML for ``text`` (empty for blank input)."""
    if not text or not text.strip():
        return ""
    return nh3.clean(
        _PARSER.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()
