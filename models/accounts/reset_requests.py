"""Self-service reset requests: one answer for everybody, mail in the background.

The request path does the same three things for every address, known or
not: take a token from the client address's hourly bucket, queue the job,
answer. Looking the account up, the per-account limit and the SMTP exchange
all happen on the outbox thread (``models.accounts.outbox``), so neither the
answer nor its timing says whether an account exists.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

from db.cache import BackendUnavailable
from db.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from models.accounts import flows
from models.accounts.outbox import MailOutbox

log = logging.getLogger(__name__)
NAMESPACE = "server:reset-password"


def client_limiter(services) -> RateLimiter:
    """Return the per-client-address limiter of reset requests (per hour)."""
    tokens = services.settings.ui.reset_requests_per_hour
    with services.db.connection() as conn:
        key = services.secrets.keys(conn, "rate_limit_hmac")[0]
    # Independent of RATE_LIMIT_TYPE: this limit protects inboxes, not capacity.
    if services.redis is not None:
        return RedisRateLimiter(services.redis, key, tokens, 3600)
    return MemoryRateLimiter(key, tokens, 3600)


class ResetRequests:
    """Accept reset requests and mail the links from the outbox thread."""

    def __init__(self, services, outbox: MailOutbox, limiter: RateLimiter):
        self._db = services.db
        self._ui = services.settings.ui
        # Opens a realm's sealed SMTP password.
        self._envelope = services.envelope
        self._outbox = outbox
        self._limiter = limiter

    def request(
        self, *, email: str, realm_id: int | None, client: str, now: dt.datetime
    ) -> None:
        """Queue a reset mail for ``email`` unless ``client`` asked too often."""
        try:
            allowed = self._limiter.take(NAMESPACE, client).allowed
        except BackendUnavailable:
            # The per-account limit (in PostgreSQL) still holds.
            log.warning("reset request limiter unavailable; per-account limit only")
            allowed = True
        if not allowed:
            log.warning("reset request refused: client over its hourly limit")
            return
        job = functools.partial(self._mail, (email or "").strip(), realm_id, now)
        self._outbox.submit(job, "password reset mail")

    def _mail(self, email: str, realm_id: int | None, now: dt.datetime) -> None:
        with self._db.connection() as conn:
            flows.request_password_reset(
                conn,
                self._ui,
                email=email,
                realm_id=realm_id,
                now=now,
                envelope=self._envelope,
            )
