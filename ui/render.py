"""Mako rendering with escaping on by default and strict undefined names."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from mako.lookup import TemplateLookup

TEMPLATES = Path(__file__).parent / "templates"


def _default_module_directory() -> str:
    # Compiled templates are keyed by URI only, so two checkouts on one host
    # must not share a cache directory.
    digest = hashlib.sha256(str(TEMPLATES.resolve()).encode()).hexdigest()[:12]
    return str(Path(tempfile.gettempdir()) / f"encv-mako-{digest}")


def make_lookup(module_directory: str | None = None) -> TemplateLookup:
    """Return the one template lookup of the UI."""
    return TemplateLookup(
        directories=[str(TEMPLATES)],
        default_filters=["h"],  # HTML-escape every ${...} unless |n is asked for
        strict_undefined=True,
        module_directory=module_directory or _default_module_directory(),
        input_encoding="utf-8",
    )
