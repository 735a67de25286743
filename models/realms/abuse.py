"""What the abuse-prevention tab shows: the modeler's forecast and today's quota."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from db.queries.duties import modeler as modeler_q
from db.queries.realms import settings as q
from db.rows import Realm
from models.codes.quota import QuotaAdmin
from models.duties import forecast
from models.duties.modeler import MODELER_MAX_VALUE, MODELER_MIN_VALUE


@dataclass(frozen=True)
class AbuseView:
    """Read-only numbers of the tab."""

    limit: int  # the modeler's latest prediction (abuse_prevention_limit)
    effective: int  # limit x floored factor, what the bucket holds
    remaining: int  # left in today's bucket
    modeled_at: dt.datetime | None  # when the modeler last changed the limit
    next_forecast: int | None  # what the modeler would predict from today's history
    history_days: int


def abuse_view(
    conn: psycopg.Connection, realm: Realm, quota: QuotaAdmin, today: dt.date
) -> AbuseView:
    """Collect the forecast and quota numbers of a realm."""
    remaining, effective = quota.remaining(conn, realm)
    history = modeler_q.issuance_history(
        conn, realm_id=realm.id, before=today, limit=forecast.WINDOW
    )
    model = forecast.fit(history)
    return AbuseView(
        limit=realm.abuse_prevention_limit,
        effective=effective,
        remaining=remaining,
        modeled_at=q.last_audit_at(
            conn, realm_id=realm.id, action="updated abuse prevention limit"
        ),
        next_forecast=(
            forecast.predict(model, lo=MODELER_MIN_VALUE, hi=MODELER_MAX_VALUE)
            if model
            else None
        ),
        history_days=len(history),
    )
