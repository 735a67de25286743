"""The one Definitions object of encv's Dagster code location."""

from __future__ import annotations

from dagster import Definitions

from orchestration.duties import cleanup
from orchestration.resources import EncvResource

defs = Definitions(
    assets=[],
    asset_checks=[],
    jobs=[cleanup.cleanup_job],
    schedules=[cleanup.cleanup_schedule],
    resources={"encv": EncvResource()},
)
