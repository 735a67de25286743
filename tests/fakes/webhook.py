"""A local HTTP endpoint that records POSTs (user-report webhooks in tests)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FakeWebhook:
    """Requests received, and the status the next ones get."""

    url: str = ""
    status: int = 200
    received: list[tuple[dict, bytes]] = field(default_factory=list)


@contextmanager
def fake_webhook_server():
    """Run the recorder on a free port of 127.0.0.1; yield its state."""
    state = FakeWebhook()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest output clean
            pass

        def do_POST(self):  # noqa: N802 - http.server naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.received.append((dict(self.headers), body))
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
