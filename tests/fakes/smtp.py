"""A minimal SMTP sink: accepts every message and keeps it for assertions."""

from __future__ import annotations

import email
import socketserver
import threading
from typing import NamedTuple


class Received(NamedTuple):
    """One message as delivered (unpacks as sender, recipients, message)."""

    mail_from: str
    rcpt_to: list[str]
    message: email.message.Message


class _Handler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        self._reply("220 fake-smtp ready")
        mail_from, rcpts = "", []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250-fake-smtp")
                self._reply("250 8BITMIME")
            elif verb == "MAIL":
                mail_from, rcpts = command.split(":", 1)[1].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 end with .")
                lines = []
                while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines))
                self.server.sink.append(Received(mail_from, rcpts, message))
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("250 OK")


class SmtpSink:
    """Run the sink on a free local port; ``messages`` fills as mail arrives."""

    def __init__(self):
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.allow_reuse_address = True
        self.server.sink = self.messages = []
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> list[str]:
        """Return the plain-text bodies received so far."""
        return [m.message.get_payload(decode=True).decode() for m in self.messages]
