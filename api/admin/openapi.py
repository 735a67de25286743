"""``GET /openapi.json``: the OpenAPI 3 description of the admin API."""

from __future__ import annotations

from pathlib import Path

import falcon

SPEC_PATH = Path(__file__).with_name("openapi.json")


class OpenApiResource:
    """Serve the checked-in OpenAPI document (no API key needed)."""

    def __init__(self, path: Path = SPEC_PATH):
        self._body = path.read_bytes()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Return the document as JSON."""
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self._body
