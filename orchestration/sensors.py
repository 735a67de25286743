"""Run sensors and the forward-progress check of every duty (operations §0, §13).

- ``duty_failure_sensor`` logs every failed duty run at ERROR with its job,
  run id and error, so log-based alerting sees it at once.
- ``duty_success_sensor`` records each real success in ``duty_progress``; a
  run that ended at its gate (``skipped``) is not a success, as in the
  original.
- ``forward_progress_sensor`` replaces the original's forward-progress
  alerts: every few minutes it compares each watched duty's last success with
  its window, logs each overdue duty and fails the tick (red in the Dagster
  UI) while any is overdue.
"""

from __future__ import annotations

import logging

from dagster import (
    DagsterEventType,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SkipReason,
    run_failure_sensor,
    run_status_sensor,
    sensor,
)

from models.duties import progress
from models.telemetry import metrics
from orchestration.resources import EncvResource

log = logging.getLogger("encv.duties")


def ended_at_gate(instance, run_id: str, *, asset_job: bool = False) -> bool:
    """Say whether a successful run was stopped by its gate (not a success).

    Op jobs emit ``skipped`` from their ``acquire_gate`` op; gated assets
    materialise nothing when their gate is held.
    """
    if asset_job:
        materialized = instance.get_records_for_run(
            run_id, of_type=DagsterEventType.ASSET_MATERIALIZATION, limit=1
        ).records
        return not materialized
    records = instance.get_records_for_run(
        run_id, of_type=DagsterEventType.STEP_OUTPUT
    ).records
    return any(
        record.event_log_entry.step_key == "acquire_gate"
        and record.event_log_entry.dagster_event.step_output_data.output_name
        == "skipped"
        for record in records
    )


def note_success(instance, run, conn, now, *, asset_job: bool) -> SkipReason | None:
    """Record a successful run of a duty unless its gate stopped it."""
    if ended_at_gate(instance, run.run_id, asset_job=asset_job):
        metrics.DUTY_RUNS.labels(run.job_name, "skipped").inc()
        return SkipReason(f"{run.job_name} ended at its gate: not a success")
    metrics.DUTY_RUNS.labels(run.job_name, "succeeded").inc()
    progress.record_success(conn, run.job_name, run.run_id, now)
    return None


def check_progress(conn, watched: list[str], now) -> SkipReason:
    """Log each overdue duty and raise while any is; else say all are on time."""
    late = progress.overdue(conn, watched, now)
    for item in late:
        log.error("forward progress: %s", item.describe())
    if late:
        raise RuntimeError(
            "duties overdue: " + "; ".join(item.describe() for item in late)
        )
    return SkipReason(f"all {len(watched)} watched duties are on time")


def build_sensors(jobs, watched: list[str], asset_jobs: frozenset[str]):
    """Return the failure, success and forward-progress sensors for ``jobs``.

    ``watched`` are the job names the forward-progress check follows;
    ``asset_jobs`` the jobs whose success means "materialised something".
    """

    @run_failure_sensor(
        name="duty_failure_sensor",
        monitored_jobs=jobs,
        default_status=DefaultSensorStatus.RUNNING,
        description="Log every failed duty run at ERROR (job, run id, error).",
    )
    def duty_failure_sensor(context: RunFailureSensorContext):
        run = context.dagster_run
        metrics.DUTY_RUNS.labels(run.job_name, "failed").inc()
        message = context.failure_event.message or "run failed"
        log.error(
            "duty %s failed (run %s): %s",
            run.job_name,
            run.run_id,
            message,
            extra={"duty": run.job_name, "run_id": run.run_id},
        )

    @run_status_sensor(
        name="duty_success_sensor",
        run_status=DagsterRunStatus.SUCCESS,
        monitored_jobs=jobs,
        default_status=DefaultSensorStatus.RUNNING,
        description="Record each real success of a duty for forward progress.",
    )
    def duty_success_sensor(context: RunStatusSensorContext, encv: EncvResource):
        run = context.dagster_run
        with encv.connection() as conn:
            return note_success(
                context.instance,
                run,
                conn,
                encv.now(),
                asset_job=run.job_name in asset_jobs,
            )

    @sensor(
        name="forward_progress_sensor",
        minimum_interval_seconds=300,
        default_status=DefaultSensorStatus.RUNNING,
        description="Fail while any duty has not succeeded within its window.",
    )
    def forward_progress_sensor(context: SensorEvaluationContext, encv: EncvResource):
        with encv.connection() as conn:
            return check_progress(conn, watched, encv.now())

    return [duty_failure_sensor, duty_success_sensor, forward_progress_sensor]
