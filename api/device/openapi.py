"""``GET /openapi.json``: the device API's OpenAPI 3 document (kept in the repo)."""

from __future__ import annotations

import json
from pathlib import Path

import falcon

DOCUMENT = Path(__file__).with_name("openapi.json")


def load_document() -> dict:
    """Return the OpenAPI document as a dict."""
    return json.loads(DOCUMENT.read_text())


class OpenApiResource:
    """Serve the document as stored."""

    def __init__(self):
        self._body = DOCUMENT.read_bytes()

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Return the OpenAPI 3 document."""
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self._body
