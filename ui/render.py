"""Mako rendering with escaping on by default and strict undefined names."""

from __future__ import annotations

import tempfile
from pathlib import Path

from mako.lookup import TemplateLookup

TEMPLATES = Path(__file__).parent / "templates"


def make_lookup(module_directory: str | None = None) -> TemplateLookup:
    """Return the one template lookup of the UI."""
    return TemplateLookup(
        directories=[str(TEMPLATES)],
        default_filters=["h"],  # HTML-escape every ${...} unless |n is asked for
        strict_undefined=True,
        module_directory=module_directory
        or str(Path(tempfile.gettempdir()) / "encv-mako"),
        input_encoding="utf-8",
    )
