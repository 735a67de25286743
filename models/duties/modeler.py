"""The modeler duty: quota forecast and claim-ratio anomaly model (operations §4)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import psycopg

from db.cache import Cache
from db.queries.duties import modeler as q
from db.queries.realms.core import update_realm
from db.rows import Realm
from models import audit
from models.duties import forecast
from models.realms.lookup import forget_realm

MODELER_MIN_VALUE = 10  # MODELER_MIN_VALUE: smallest quota ever set
MODELER_MAX_VALUE = 20000  # MODELER_MAX_VALUE: largest quota ever set
ANOMALY_ALLOWED_STDEVS = 2.0  # ANOMALY_ALLOWED_STDEVS
CLAIM_HISTORY_DAYS = 90
CLAIM_VALUES = 30  # history values the ratio model collects at most
CLAIM_MIN_VALUES = 14


@dataclass(frozen=True)
class ForecastResult:
    """What the forecast did for one realm (reported as metadata)."""

    realm_id: int
    rows_used: int
    slope: float | None = None
    intercept: float | None = None
    raw: float | None = None
    limit: int | None = None
    effective_limit: int | None = None
    previous_limit: int | None = None
    skipped: str = ""


def forecast_realm(
    conn: psycopg.Connection,
    realm: Realm,
    *,
    today: dt.date,
    cache: Cache,
    lo: int = MODELER_MIN_VALUE,
    hi: int = MODELER_MAX_VALUE,
) -> ForecastResult:
    """Fit the realm's issuance and store tomorrow's quota as its limit."""
    if not realm.abuse_prevention_enabled:
        return ForecastResult(realm.id, 0, skipped="abuse prevention off")
    history = q.issuance_history(
        conn, realm_id=realm.id, before=today, limit=forecast.WINDOW
    )
    model = forecast.fit(history)
    if model is None:
        return ForecastResult(realm.id, len(history), skipped="not enough data")
    limit = forecast.predict(model, lo=lo, hi=hi)
    with conn.transaction():
        if limit != realm.abuse_prevention_limit:
            update_realm(conn, realm.id, abuse_prevention_limit=limit)
            audit.record(
                conn,
                realm_id=realm.id,
                actor=audit.SYSTEM,
                action="updated abuse prevention limit",
                target_id=f"realms:{realm.id}",
                target_display=realm.name,
                diff=audit.change(realm.abuse_prevention_limit, limit),
            )
    # The issue path reads the limit from the cached realm on every take.
    forget_realm(cache, realm.id)
    return ForecastResult(
        realm_id=realm.id,
        rows_used=model.rows_used,
        slope=model.slope,
        intercept=model.intercept,
        raw=forecast.predict_raw(model),
        limit=limit,
        effective_limit=forecast.effective_limit(
            limit, realm.abuse_prevention_limit_factor
        ),
        previous_limit=realm.abuse_prevention_limit,
    )


@dataclass(frozen=True)
class ClaimRatios:
    """Yesterday's claim ratio against the recent history."""

    last: float
    mean: float
    stddev: float
    values: int

    def anomalous(self, allowed_stdevs: float = ANOMALY_ALLOWED_STDEVS) -> bool:
        """Say whether yesterday fell more than the allowed stdevs below the mean."""
        return self.last < self.mean and (self.mean - self.last) > (
            self.stddev * (allowed_stdevs if allowed_stdevs > 0 else 1.0)
        )


def claim_ratios(days: Sequence[tuple[int, int]]) -> ClaimRatios | None:
    """Compute the ratio model from (issued, claimed) days, today first.

    Today is partial and ignored; yesterday is the day judged; older days
    with codes issued form the history (population stddev, as the original).
    """
    if len(days) < 2:
        return None
    yesterday, history = days[1], days[2:]
    values = [min(1.0, claimed / issued) for issued, claimed in history if issued]
    values = values[:CLAIM_VALUES]
    if len(values) < CLAIM_MIN_VALUES:
        return None
    issued, claimed = yesterday
    last = 1.0 if issued == 0 else min(1.0, claimed / issued)
    return ClaimRatios(
        last=last,
        mean=statistics.fmean(values),
        stddev=statistics.pstdev(values),
        values=len(values),
    )


def model_claim_ratio(
    conn: psycopg.Connection, realm: Realm, *, today: dt.date, cache: Cache
) -> ClaimRatios | None:
    """Rebuild and store the realm's claim-ratio columns; None when skipped."""
    days = q.daily_claims(
        conn,
        realm_id=realm.id,
        first=today - dt.timedelta(days=CLAIM_HISTORY_DAYS),
        last=today,
    )
    ratios = claim_ratios(days)
    if ratios is None:
        return None
    with conn.transaction():
        update_realm(
            conn,
            realm.id,
            last_codes_claimed_ratio=_ratio(ratios.last),
            codes_claimed_ratio_mean=_ratio(ratios.mean),
            codes_claimed_ratio_stddev=_ratio(ratios.stddev),
        )
    forget_realm(cache, realm.id)
    return ratios


def is_anomalous(realm: Realm, allowed_stdevs: float = ANOMALY_ALLOWED_STDEVS) -> bool:
    """Apply the anomaly predicate to the values the modeler last stored."""
    if realm.is_e2e:
        return False
    return ClaimRatios(
        last=float(realm.last_codes_claimed_ratio),
        mean=float(realm.codes_claimed_ratio_mean),
        stddev=float(realm.codes_claimed_ratio_stddev),
        values=0,
    ).anomalous(allowed_stdevs)


def _ratio(value: float) -> Decimal:
    # numeric(10, 8) columns
    return Decimal(value).quantize(Decimal("0.00000001"))
