"""The one Definitions object of encv's Dagster code location."""

from __future__ import annotations

from dagster import Definitions

from orchestration.resources import ClockResource, EncvResource

defs = Definitions(
    assets=[],
    jobs=[],
    schedules=[],
    resources={"encv": EncvResource(), "clock": ClockResource()},
)
