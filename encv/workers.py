"""The gunicorn worker every surface runs: gthread with bounded socket reads.

A sync worker is held by one connection from its first byte to its last, so
two clients that send headers and part of a body froze a whole surface. The
gthread worker waits for idle and kept-alive connections in its poller, and
this subclass bounds every read and write of a request's socket by
``ENCV_REQUEST_READ_TIMEOUT`` (default 5 s): a client that stops sending
holds one thread for at most that long, then its connection is closed.
A client that trickles bytes just inside the timeout is only stopped by a
buffering proxy in front (see README, "Running in production").
"""

from __future__ import annotations

import os

from gunicorn.workers.gthread import TConn, ThreadWorker

from models.settings import parse_duration


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

    def enqueue_req(self, conn):
        """Hand the connection to a thread with its reads bounded."""
        if not isinstance(conn, _BoundedConn):
            conn.__class__ = _BoundedConn
            conn.read_timeout = self._read_timeout
        super().enqueue_req(conn)
