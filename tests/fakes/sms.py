"""A local Twilio-compatible SMS endpoint for tests, over real HTTP.

``POST /2010-04-01/Accounts/{sid}/Messages.json`` with a form body
(``To``, ``From``, ``Body``) is recorded and answered like Twilio (201 with a
message resource). Setting ``fail_with`` makes the next sends answer a Twilio
error instead (e.g. 21211 invalid number, 21611 queue full).
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import urllib.parse
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_PATH = re.compile(r"^/2010-04-01/Accounts/([^/]+)/Messages\.json$")


@dataclass(frozen=True)
class SentMessage:
    """One message the fake accepted."""

    account_sid: str
    auth_user: str
    auth_password: str
    to: str
    from_: str
    body: str


class FakeSms:
    """State shared between the test and the server threads."""

    def __init__(self):
        self.messages: list[SentMessage] = []
        self.fail_with: int | None = None  # Twilio error code to answer
        self.url = ""
        self._changed = threading.Condition()

    def record(self, message: SentMessage) -> None:
        """Store a message and wake waiters."""
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[SentMessage]:
        """Wait until ``count`` messages arrived; return them."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.messages)} of {count} SMS arrived")
                self._changed.wait(left)
            return list(self.messages)


def _handler(state: FakeSms):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest output clean
            pass

        def _reply(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):  # noqa: N802 - http.server naming
            match = _PATH.match(urllib.parse.urlsplit(self.path).path)
            if not match:
                self._reply(404, {"code": 20404, "message": "not found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            user, password = _basic_auth(self.headers.get("Authorization") or "")
            if state.fail_with is not None:
                self._reply(
                    400,
                    {"code": state.fail_with, "message": "fake failure", "status": 400},
                )
                return
            message = SentMessage(
                account_sid=match.group(1),
                auth_user=user,
                auth_password=password,
                to=form.get("To", [""])[0],
                from_=form.get("From", [""])[0],
                body=form.get("Body", [""])[0],
            )
            state.record(message)
            self._reply(
                201,
                {
                    "sid": "SM" + uuid.uuid4().hex,
                    "account_sid": message.account_sid,
                    "to": message.to,
                    "from": message.from_,
                    "body": message.body,
                    "status": "queued",
                },
            )

    return Handler


def _basic_auth(header: str) -> tuple[str, str]:
    if not header.startswith("Basic "):
        return "", ""
    user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    return user, password


@contextmanager
def fake_sms_server():
    """Run the fake on a free port of 127.0.0.1; yield its :class:`FakeSms`."""
    state = FakeSms()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
