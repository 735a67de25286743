"""`encv job NAME`: run one Dagster job once, in-process."""

from __future__ import annotations

import sys


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
    summary = getattr(result, "summary", None)
    status = "succeeded" if result.success else "failed"
    print(f"{name}: {status}" + (f" ({summary})" if summary else ""))
    return 0 if result.success else 1
