"""``GET /favicon.ico``: the UI's own icon, for browsers that ask the root."""

from __future__ import annotations

from pathlib import Path

import falcon

ICON = Path(__file__).resolve().parents[1] / "static" / "icons" / "favicon.ico"


class Favicon:
    """Serve the icon file (read once; it ships with the package)."""

    def __init__(self, path: Path = ICON):
        self._data = path.read_bytes()

    def on_get(self, req, resp):
        """Answer with the multi-size .ico."""
        resp.content_type = "image/x-icon"
        resp.data = self._data

    on_head = on_get


def register(app: falcon.App) -> None:
    """Add ``/favicon.ico`` to ``app``."""
    app.add_route("/favicon.ico", Favicon())
