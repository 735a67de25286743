"""Write a stats download (``models.stats.exports.Download``) into a response."""

from __future__ import annotations

import falcon

from models.stats.exports import Download


def send(resp: falcon.Response, download: Download) -> None:
    """Answer with the JSON body, or with the CSV as a named attachment."""
    resp.content_type = download.content_type
    if download.filename is None:
        resp.media = download.media
        return
    resp.set_header("Content-Disposition", download.disposition)
    resp.text = download.body
