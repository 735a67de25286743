"""``GET /<anything>``: send a phone to its app, store or ENS link (§9.3)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping

import falcon

from api.redirect.pages import Pages
from models.redirect.directory import RedirectDirectory
from models.redirect.rules import (
    app_store_data,
    decide,
    region_for_host,
    unmapped_host_location,
)


def _see_other(resp: falcon.Response, location: str) -> None:
    resp.status = 303
    resp.location = location


class RedirectLinks:
    """Catch-all sink that answers 303 with the chosen location, else 404."""

    def __init__(
        self, directory: RedirectDirectory, regions: Mapping[str, str], pages: Pages
    ):
        self._directory = directory
        self._regions = regions
        self._pages = pages

    def __call__(self, req: falcon.Request, resp: falcon.Response, **_) -> None:
        """Decide where the request goes."""
        if req.method not in ("GET", "HEAD"):
            raise falcon.HTTPMethodNotAllowed(["GET"])
        user_agent = req.get_header("User-Agent") or ""
        region = region_for_host(self._regions, req.get_header("Host") or "")
        # Go keeps blank values (``?c=``); so do we.
        query = urllib.parse.parse_qs(req.query_string, keep_blank_values=True)
        if region is None:
            location = unmapped_host_location(user_agent)
        else:
            data = self._directory.region_apps(region)
            location = None
            if data is not None:
                location = decide(
                    user_agent=user_agent,
                    path=req.path,
                    query=query,
                    region=region,
                    enx_enabled=data.enx_enabled,
                    apps=app_store_data(data.apps),
                )
        if location is None:
            self._pages.error(req, resp, 404)
            return
        _see_other(resp, location)


class WellKnownRoot:
    """Anything else under ``/.well-known`` is a 404, never a redirect."""

    def __init__(self, pages: Pages):
        self._pages = pages

    def __call__(self, req: falcon.Request, resp: falcon.Response, **_) -> None:
        """Answer 404."""
        self._pages.error(req, resp, 404)
