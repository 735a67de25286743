"""The gunicorn worker every surface runs: gthread with bounded socket reads.

A sync worker is held by one connection from its first byte to its last, so
two clients that send headers and part of a body froze a whole surface. The
gthread worker waits for idle and kept-alive connections in its poller, and
this subclass bounds every read and write of a request's socket by
``ENCV_REQUEST_READ_TIMEOUT`` (default 5 s): a client that stops sending
holds one thread for at most that long, then its connection is closed.
A client that trickles bytes just inside the timeout is only stopped by a
buffering proxy in front (README, "Running in production").
"""

from __future__ import annotations

import logging
import os

from gunicorn import glogging, util
from gunicorn.http.errors import (
    InvalidHeader,
    InvalidHeaderName,
    InvalidRequestLine,
    LimitRequestHeaders,
    LimitRequestLine,
)
from gunicorn.workers.gthread import TConn, ThreadWorker

from api.common.errors import envelope
from api.common.jsonio import dumps
from models.settings import parse_duration

# Requests gunicorn refuses before the app sees them; answered with the JSON
# error envelope every other client error uses, instead of gunicorn's HTML.
_JSON_ERRORS = (
    (LimitRequestHeaders, 431, "Request Header Fields Too Large"),
    (LimitRequestLine, 414, "URI Too Long"),
    ((InvalidHeader, InvalidHeaderName, InvalidRequestLine), 400, "Bad Request"),
)


def read_timeout() -> float:
    """Return the per-read socket timeout in seconds."""
    return parse_duration(os.environ.get("ENCV_REQUEST_READ_TIMEOUT", "") or "5s")


class _BoundedConn(TConn):
    def init(self):
        super().init()
        # init() runs after the worker made the socket blocking, for every
        # request of a connection, so each request gets the bound.
        self.sock.settimeout(self.read_timeout)


class BoundedThreadWorker(ThreadWorker):
    """gthread worker whose request sockets time out instead of blocking."""

    def init_process(self):
        """Read the timeout once per worker, then run the gthread loop."""
        self._read_timeout = read_timeout()
        super().init_process()

    def handle_error(self, req, client, addr, exc):
        """Answer oversized or malformed requests with a JSON error envelope."""
        known = [(s, r) for kinds, s, r in _JSON_ERRORS if isinstance(exc, kinds)]
        if not known:
            super().handle_error(req, client, addr, exc)
            return
        status, reason = known[0]
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        body = dumps(envelope(reason.lower(), "unparsable_request")).encode()
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        try:
            util.write_nonblock(client, head.encode("latin-1") + body)
        except OSError:
            self.log.debug("Failed to send error message.")

    def enqueue_req(self, conn):
        """Hand the connection to a thread with its reads bounded."""
        if not isinstance(conn, _BoundedConn):
            conn.__class__ = _BoundedConn
            conn.read_timeout = self._read_timeout
        super().enqueue_req(conn)


class Logger(glogging.Logger):
    """gunicorn's logger, without building access lines nobody will write.

    With a logging config (our JSON one) gunicorn formats every request's
    access atoms, then drops them at the WARNING level we give
    ``gunicorn.access``: that was 7 % of an apiserver worker's CPU. Our own
    access line comes from the request-id middleware at ENCV_LOG_LEVEL=INFO.
    """

    def access(self, resp, req, environ, request_time):
        """Log the access line only if the access logger would keep it."""
        if self.access_log.isEnabledFor(logging.INFO):
            super().access(resp, req, environ, request_time)
