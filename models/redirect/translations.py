"""The realms' dynamic translations as the web view reads them (§5.12).

App sync writes per-realm texts (``agencyDisplayName``, ``webReportIntroMessage``
...) into ``dynamic_translations``, keyed by a two-letter locale. Every web
view process keeps its own copy per realm and re-reads it once it is older
than the refresh period, so a sync shows within one period without a query
per page view.
"""

from __future__ import annotations

import threading

from db.pool import ConnectionSource
from db.queries.realms.admin import realm_translations
from models.clock import Clock

# The message ids app sync may carry that the web view shows (from the
# original's templates): the realm's text replaces the catalogue's.
AGENCY_NAME = "agencyDisplayName"
INTRO = "webReportIntroMessage"
DATE_HELP = "webReportDateMessage"
PHONE_HELP = "webReportPhoneNumberMessage"
SUCCESS = "webReportSuccessMessage"


class DynamicTranslations:
    """Per-process cache of each realm's texts, by locale then message id."""

    def __init__(self, db: ConnectionSource, clock: Clock, refresh_seconds: float):
        self._db = db
        self._clock = clock
        self._refresh = refresh_seconds
        self._lock = threading.Lock()
        self._realms: dict[int, tuple[float, dict[str, dict[str, str]]]] = {}

    def realm(self, realm_id: int) -> dict[str, dict[str, str]]:
        """Return ``{locale: {message id: text}}`` of a realm, re-read when stale."""
        now = self._clock.now().timestamp()
        with self._lock:
            cached = self._realms.get(realm_id)
        if cached is not None and now - cached[0] < self._refresh:
            return cached[1]
        with self._db.connection() as conn:
            rows = realm_translations(conn, realm_id)
        texts: dict[str, dict[str, str]] = {}
        for row in rows:
            texts.setdefault(row.locale.lower(), {})[row.message_id] = row.message
        with self._lock:
            self._realms[realm_id] = (now, texts)
        return texts
