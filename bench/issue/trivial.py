"""The reference ceiling: a trivial Falcon JSON endpoint on the same setup."""

from __future__ import annotations

import falcon


class _Ok:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"ok": True}

    on_post = on_get


def get_app() -> falcon.App:
    """Gunicorn entry point: ``gunicorn 'bench.issue.trivial:get_app()'``."""
    app = falcon.App()
    app.add_route("/", _Ok())
    app.add_route("/health", _Ok())
    return app
