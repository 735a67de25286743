"""A tiny threaded HTTP server whose routes are Python callables."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# handler(method, path, headers, body bytes) -> (status, json-able body)
Route = Callable[[str, str, dict, bytes], tuple[int, object]]


class FakeHttpServer:
    """Serve JSON from ``routes`` keyed by (method, path); records requests."""

    def __init__(self, routes: dict[tuple[str, str], Route]):
        self.routes = routes
        self.requests: list[tuple[str, str, dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                path = self.path.split("?")[0]
                outer.requests.append((self.command, path, headers, body))
                route = outer.routes.get((self.command, path))
                status, payload = (
                    route(self.command, path, headers, body)
                    if route
                    else (404, {"error": "not found"})
                )
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve  # noqa: N815 - http.server naming

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHttpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def static(payload: object, status: int = 200) -> Route:
    """Return a route that always answers ``payload``."""
    return lambda method, path, headers, body: (status, payload)
