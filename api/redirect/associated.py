"""``/.well-known/*`` association files for iOS and Android (protocol §9.2)."""

from __future__ import annotations

from collections.abc import Mapping

import falcon

from api.common.jsonio import dumps
from models.redirect.directory import RedirectDirectory
from models.redirect.rules import (
    OS_ANDROID,
    OS_IOS,
    android_assetlinks,
    apple_association,
    region_for_host,
)


def _not_found(resp: falcon.Response, message: str) -> None:
    resp.status = 404
    resp.content_type = falcon.MEDIA_JSON
    resp.text = dumps({"error": message})


class AssociationFile:
    """Serve one OS's association file for the realm of the request's host."""

    def __init__(
        self, directory: RedirectDirectory, regions: Mapping[str, str], os_type: int
    ):
        self._directory = directory
        self._regions = regions
        self._os = os_type

    def __call__(self, req: falcon.Request, resp: falcon.Response, **_) -> None:
        """Answer GET with the file; other methods are not allowed."""
        if req.method not in ("GET", "HEAD"):
            raise falcon.HTTPMethodNotAllowed(["GET"])
        region = region_for_host(self._regions, req.get_header("Host") or "")
        if region is None:
            _not_found(resp, "request is missing region")
            return
        data = self._directory.region_apps(region)
        if data is None:
            _not_found(resp, f'no realm exists for region "{region}"')
            return
        apps = data.of_os(self._os)
        if not apps:
            _not_found(resp, "no apps are registered")
            return
        if self._os == OS_IOS:
            body = apple_association(app.app_id for app in apps)
        else:
            body = android_assetlinks(apps)
        resp.content_type = falcon.MEDIA_JSON
        resp.text = dumps(body)


def ios_file(directory: RedirectDirectory, regions: Mapping[str, str]):
    """Return the ``apple-app-site-association`` sink."""
    return AssociationFile(directory, regions, OS_IOS)


def android_file(directory: RedirectDirectory, regions: Mapping[str, str]):
    """Return the ``assetlinks.json`` sink."""
    return AssociationFile(directory, regions, OS_ANDROID)
