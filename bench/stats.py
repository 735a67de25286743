"""Percentiles and per-operation figures of one measured window."""

from __future__ import annotations

import math


def percentile(samples: list[float], q: float) -> float | None:
    """Return the ``q``-th percentile (0-100) by linear interpolation.

    The rank is ``q/100 * (n - 1)`` over the sorted samples (numpy's default
    and ``statistics.quantiles(method="inclusive")``); None without samples.
    """
    if not samples:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"percentile out of range: {q}")
    ordered = sorted(samples)
    rank = q / 100 * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_ms(samples: list[float]) -> dict:
    """Return p50/p95/p99 (and the sample count) in milliseconds."""
    out = {}
    for q in (50, 95, 99):
        value = percentile(samples, q)
        out[f"p{q}"] = None if value is None else round(value * 1000, 2)
    out["samples"] = len(samples)
    return out


def spread(values: list[float]) -> dict:
    """Return the quartiles of ``values`` (None without values), rounded."""
    out = {}
    for q in (25, 50, 75):
        value = percentile(values, q)
        out[f"p{q}"] = None if value is None else round(value, 3)
    out["slices"] = len(values)
    return out


def per_op_ms(cpu_seconds: float, operations: int) -> float | None:
    """Return CPU milliseconds per operation (None without operations)."""
    if operations <= 0:
        return None
    return round(cpu_seconds * 1000 / operations, 3)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """Return numerator / denominator rounded to 3 places, None if undefined."""
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)
