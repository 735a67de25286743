"""The reference ceiling: a trivial Falcon JSON endpoint under the same gunicorn."""

from __future__ import annotations

import falcon


class Ping:
    """Answer a tiny JSON document without touching anything."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Return ``{"ok": true}``."""
        resp.media = {"ok": True}

    on_post = on_get


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'bench.trivial:get_app()'``."""
    app = falcon.App()
    app.add_route("/ping", Ping())
    app.add_route("/health", Ping())
    return app
