"""JSON output the way the original writes it (protocol §1.5)."""

from __future__ import annotations

import json
from functools import partial

import falcon.media

_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps(obj) -> str:
    """Compact JSON with HTML-sensitive characters escaped and a newline."""
    return (
        json.dumps(obj, separators=(",", ":"), ensure_ascii=False).translate(_ESCAPES)
        + "\n"
    )


def json_handler() -> falcon.media.JSONHandler:
    """Return a Falcon media handler that writes :func:`dumps` output."""
    return falcon.media.JSONHandler(dumps=dumps, loads=partial(json.loads))


def install(app: falcon.App) -> None:
    """Use our JSON writer for every JSON response of ``app``."""
    handler = json_handler()
    app.resp_options.media_handlers.update(
        {falcon.MEDIA_JSON: handler, "application/json; charset=UTF-8": handler}
    )
