"""The abuse-prevention forecast: a pure linear-trend model (operations §4.1).

No database and no Dagster here: ``fit`` takes a realm's daily issuance
counts, ``predict`` turns the fitted line into tomorrow's quota.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LinearRegression

WINDOW = 21  # newest rows considered
MIN_ROWS = 14  # fewer rows than this: not enough data


@dataclass(frozen=True)
class Model:
    """A fitted line y = intercept + slope * x over x = 0..points-1."""

    intercept: float
    slope: float
    points: int  # values fitted
    rows_used: int  # rows considered (points + the dropped oldest)


def fit(history: Sequence[int]) -> Model | None:
    """Fit a line to daily counts (oldest first); None if too few rows.

    ``history`` holds complete days only: the caller leaves out today's
    partial day (the original fitted it, so each run's forecast sagged
    with the time of day). Of the newest ``WINDOW`` rows the oldest is
    dropped, as in the original, whose tested vectors (protocol §12.12)
    pin a 20-point window.
    """
    rows = list(history)[-WINDOW:]
    if len(rows) < MIN_ROWS:
        return None
    points = rows[1:]
    x = np.arange(len(points), dtype=float).reshape(-1, 1)
    y = np.asarray(points, dtype=float)
    regression = LinearRegression().fit(x, y)
    return Model(
        intercept=float(regression.intercept_),
        slope=float(regression.coef_[0]),
        points=len(points),
        rows_used=len(rows),
    )


def predict_raw(model: Model, horizon: int = 1) -> float:
    """Evaluate the line ``horizon`` days after the last fitted day."""
    return model.intercept + model.slope * (model.points - 1 + horizon)


def round_half_away(value: float) -> int:
    """Round half away from zero (Go's math.Round), not to even."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def predict(model: Model, horizon: int = 1, *, lo: int = 10, hi: int = 20000) -> int:
    """Return the rounded forecast, negative as 0, clamped to [lo, hi]."""
    value = max(0, round_half_away(predict_raw(model, horizon)))
    return min(max(value, lo), hi)


def effective_limit(limit: int, factor: decimal.Decimal | float) -> int:
    """Return ceil(limit * factor), the factor floored to hundredths.

    The original reads the factor into a 32-bit float first, so 1.15
    becomes 1.14; we keep that so limits match what realms saw before.
    """
    as_float32 = float(np.float32(float(factor)))
    hundredths = math.floor(as_float32 * 100) / 100
    return math.ceil(limit * hundredths)
