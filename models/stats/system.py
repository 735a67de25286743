"""``/admin/stats/system.json``: codes issued and claimed across realms (§5.8).

Only days with at least ``min_realms`` contributing realms show figures, so a
single realm's activity cannot be read off the system chart.
"""

from __future__ import annotations

import datetime as dt

from db.cache import Cache
from db.pool import ConnectionSource
from db.queries.stats import reports as reports_q
from db.queries.stats import system as q
from models.clock import Clock
from models.stats import rows as rows_fmt
from models.stats.reports import CACHE_SECONDS, DAYS


def _row(day: dt.date, issued: int, claimed: int) -> reports_q.RealmStatsRow:
    return reports_q.RealmStatsRow(
        day, issued, claimed, 0, 0, 0, 0, 0, 0, 0, [0, 0, 0], [0, 0, 0], [], 0
    )


def system_stats(
    db: ConnectionSource,
    cache: Cache,
    clock: Clock,
    *,
    min_realms: int,
    exclude: tuple[int, ...] = (),
) -> dict:
    """Return the realm-stats JSON shape summed over realms (cached 30 min)."""
    min_realms = max(2, min_realms)

    def load() -> dict:
        today = clock.now().astimezone(dt.UTC).date()
        days = [today - dt.timedelta(days=n) for n in range(DAYS)]
        span = {"start": days[-1], "end": days[0], "exclude": list(exclude)}
        with db.connection() as conn:
            rows = q.system_days(conn, **span)
            realms = q.contributing_realms(conn, **span)
        by_day = {d: (n, issued, claimed) for d, n, issued, claimed in rows}
        statistics = []
        for day in days:
            n, issued, claimed = by_day.get(day, (0, 0, 0))
            if n < min_realms:
                issued = claimed = 0
            data = rows_fmt.realm_data(_row(day, int(issued), int(claimed)))
            statistics.append({"date": rows_fmt.rfc3339(day), "data": data})
        return {"realm_id": realms, "statistics": statistics}

    return cache.fetch(
        f"stats:system:{min_realms}:{','.join(map(str, exclude))}", CACHE_SECONDS, load
    )
