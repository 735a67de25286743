"""`encv job NAME`: run one Dagster job once, in-process."""

from __future__ import annotations

import sys
from collections import Counter


def summarize(result) -> str:
    """Return a one-line account of a finished run: steps, skips and counts."""
    from orchestration.gating import was_skipped

    if was_skipped(result):
        return "skipped: its run lock is held or it ran too recently"
    steps = Counter()
    totals: Counter = Counter()
    materialized = 0
    for event in result.all_events:
        kind = event.event_type_value
        if kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            steps[kind.removeprefix("STEP_").lower()] += 1
        if kind == "ASSET_MATERIALIZATION":
            materialized += 1
        metadata = {}
        if event.is_successful_output:
            metadata = event.event_specific_data.metadata
        elif kind == "ASSET_MATERIALIZATION":
            metadata = event.event_specific_data.materialization.metadata
        for key, value in metadata.items():
            number = getattr(value, "value", None)
            if isinstance(number, int) and not isinstance(number, bool):
                totals[key] += number
    parts = [", ".join(f"{n} {kind}" for kind, n in sorted(steps.items()))]
    if materialized:
        parts.append(f"{materialized} asset(s) materialized")
    parts += [f"{key}={value}" for key, value in sorted(totals.items())]
    return "; ".join(part for part in parts if part)


def run_job(name: str) -> int:
    """Execute job ``name`` from the code location; print a one-line summary."""
    from orchestration.definitions import defs

    names = sorted(
        job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__")
    )
    if name not in names:
        print(
            f"encv job: unknown job {name!r}; known: {', '.join(names) or 'none'}",
            file=sys.stderr,
        )
        return 2
    job = defs.resolve_job_def(name)
    result = job.execute_in_process(raise_on_error=False)
    status = "succeeded" if result.success else "failed"
    print(f"{name}: {status} ({summarize(result)})")
    if not result.success:
        for event in result.all_events:
            if event.is_step_failure:
                error = event.event_specific_data.error
                print(f"  {event.step_key}: {error.message.strip()}", file=sys.stderr)
    return 0 if result.success else 1
