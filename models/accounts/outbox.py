"""A background queue per worker process for account mails (issue 19).

A reset request answers before anything about the account is even looked up:
the whole job (lookup, limits, token, SMTP) runs on this queue's thread, so
the answer's content and timing are the same for real and unknown addresses.

Why in-process and not an outbox table: the mail carries the plaintext of a
single-use token, and storing it in a table would undo storing only its hash.
A worker that dies between the answer and the send loses that one mail; the
link was short-lived anyway and the person can ask again. Every failure is
logged with what was being sent (never the address or the token), and the
queue is drained when the process exits.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class MailOutbox:
    """Run mail jobs one after another on a daemon thread."""

    def __init__(self, name: str = "account-mail", maxsize: int = 1000):
        self._name = name
        self._queue: queue.Queue = queue.Queue(maxsize)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_thread(self) -> None:
        # Started on first use, so a process that forks after building the
        # app (gunicorn --preload) gets its own thread.
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=self._name, daemon=True
                )
                self._thread.start()

    def submit(self, job: Callable[[], None], what: str) -> None:
        """Queue ``job``; ``what`` names it in logs (no personal data)."""
        self._ensure_thread()
        try:
            self._queue.put_nowait((job, what))
        except queue.Full:
            log.error("account mail queue is full: dropped %s", what)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                job, what = item
                try:
                    job()
                except Exception:  # one failed mail must not stop the others
                    log.exception("account mail failed: %s", what)
            finally:
                self._queue.task_done()

    def drain(self) -> None:
        """Wait until every queued job has run."""
        if self._thread is not None:
            self._queue.join()

    def close(self, timeout: float = 10.0) -> None:
        """Run what is queued, then stop the thread (at process exit)."""
        if self._thread is None or not self._thread.is_alive():
            return
        self._queue.put(None)
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.error("account mail queue did not drain within %.0f s", timeout)
