"""The run gate as the first op of an op job (operations §13)."""

from collections.abc import Callable

from dagster import (
    DefaultScheduleStatus,
    OpExecutionContext,
    Out,
    Output,
    RetryPolicy,
    ScheduleDefinition,
    op,
)

from models.duties import locks
from orchestration.resources import EncvResource

# Work ops retry; the gate op does not, so a retry never meets its own gate.
WORK_RETRY = RetryPolicy(max_retries=3, delay=30)


# Each gated job's gate; the gate op finds its own by the running job's name.
JOB_GATES: dict[str, Callable[[EncvResource], locks.Gate]] = {
    "cleanup_job": lambda encv: locks.cleanup_gate(encv.settings.cleanup.min_period),
    "rotate_token_signing_key_job": lambda encv: locks.TOKEN_ROTATION,
    "rotate_realm_certificate_keys_job": lambda encv: locks.VERIFICATION_ROTATION,
    "rotate_secrets_job": lambda encv: locks.SECRETS_ROTATION,
    "backup_job": lambda encv: locks.BACKUP,
    "e2e_job": lambda encv: locks.E2E,
    "emailer_sms_errors_job": lambda encv: locks.EMAILER_SMS_ERRORS,
    "emailer_anomalies_job": lambda encv: locks.EMAILER_ANOMALIES,
}


@op(
    out={
        "go": Out(bool, is_required=False),
        "skipped": Out(bool, is_required=False),
    },
    description="Take the job's run lock; when held or too early, skip the run.",
)
def acquire_gate(context: OpExecutionContext, encv: EncvResource):
    """Take the duty's gate or end the run as skipped.

    Output ``go`` feeds the work ops; when the gate is held or too early only
    ``skipped`` is emitted (metadata ``skipped=true``), so the work ops are
    skipped and the run still succeeds.
    """
    gate = JOB_GATES[context.job_name](encv)
    if encv.try_gate(gate):
        yield Output(True, "go", metadata={"lock": gate.name, "skipped": False})
        return
    context.log.info("%s is held or too early: skipping this run", gate.name)
    yield Output(True, "skipped", metadata={"lock": gate.name, "skipped": True})


def duty_schedule(
    name: str, job, cron: str, *, running: bool = True
) -> ScheduleDefinition:
    """Return a UTC schedule, running by default (housekeeping is not optional)."""
    return ScheduleDefinition(
        name=name,
        job=job,
        cron_schedule=cron,
        execution_timezone="Etc/UTC",
        default_status=(
            DefaultScheduleStatus.RUNNING if running else DefaultScheduleStatus.STOPPED
        ),
    )


def was_skipped(result, gate_name: str = "acquire_gate") -> bool:
    """Say whether an op-job result ended at its gate (CLI and tests)."""
    return any(
        event.step_key == gate_name
        and event.is_successful_output
        and event.event_specific_data.step_output_handle.output_name == "skipped"
        for event in result.all_events
    )
