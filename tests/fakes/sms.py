"""A Twilio-compatible SMS API on a free local port, for tests and benchmarks.

It accepts ``POST /2010-04-01/Accounts/{sid}/Messages.json`` with HTTP basic
auth, records every message, and can be told to answer like Twilio does
when the queue is full (21611), the number is invalid (21211), or to hang.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")


@dataclass
class SentMessage:
    """One accepted message."""

    account_sid: str
    to: str
    body: str
    sender: str
    auth: tuple[str, str]
    request_id: str = ""  # the X-Request-ID the sender passed on


@dataclass
class FakeSms:
    """State shared with the handler: messages and the next behaviour."""

    messages: list[SentMessage] = field(default_factory=list)
    mode: str = "ok"  # ok | queue_full | invalid_number | hang | server_error
    hang_seconds: float = 5.0
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def close(self) -> None:
        """Stop the server."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def _error(code: int, message: str, status: int = 400) -> tuple[int, dict]:
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _handler(state: FakeSms):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output clean
            pass

        def do_POST(self):  # noqa: N802 - http.server naming
            match = _PATH.match(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            if match is None:
                return self._reply(404, {"code": 20404, "message": "not found"})
            user, _, password = (
                base64.b64decode(
                    (self.headers.get("Authorization") or "Basic ").split(" ", 1)[1]
                    or b""
                )
                .decode()
                .partition(":")
            )
            if user != match.group(1) or not password:
                return self._reply(*_error(20003, "Authenticate", 401))
            if state.mode == "hang":
                time.sleep(state.hang_seconds)
                return self._reply(500, {})
            if state.mode == "queue_full":
                return self._reply(*_error(21611, "This 'From' number has exceeded"))
            if state.mode == "invalid_number":
                return self._reply(*_error(21211, "Invalid 'To' Phone Number"))
            if state.mode == "server_error":
                return self._reply(500, {"message": "boom"})
            sender = (form.get("From") or form.get("MessagingServiceSid") or [""])[0]
            state.messages.append(
                SentMessage(
                    account_sid=match.group(1),
                    to=form.get("To", [""])[0],
                    body=form.get("Body", [""])[0],
                    sender=sender,
                    auth=(user, password),
                    request_id=self.headers.get("X-Request-ID") or "",
                )
            )
            return self._reply(201, {"sid": f"SM{len(state.messages):032d}"})

        def _reply(self, status: int, body: dict):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def start_fake_sms() -> FakeSms:
    """Start the fake provider on a free port; ``state.url`` is its base URL."""
    state = FakeSms()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state._server = server
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    return state
