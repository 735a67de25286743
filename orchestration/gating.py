"""The run gate as the first op of an op job (operations §13)."""

from collections.abc import Callable

from dagster import OpExecutionContext, Out, Output, RetryPolicy, op

from models import locks
from orchestration.resources import EncvResource

# Work ops retry; the gate op does not, so a retry never meets its own gate.
WORK_RETRY = RetryPolicy(max_retries=3, delay=30)


def gate_op(name: str, gate_for: Callable[[EncvResource], locks.Gate]):
    """Return an op that takes the duty's gate or ends the run as skipped.

    Output ``go`` feeds the work ops; when the gate is held or too early only
    ``skipped`` is emitted (metadata ``skipped=true``), so the work ops are
    skipped and the run still succeeds.
    """

    @op(
        name=name,
        out={
            "go": Out(bool, is_required=False),
            "skipped": Out(bool, is_required=False),
        },
        description="Take the duty's run lock; when held or too early, skip the run.",
    )
    def acquire_gate(context: OpExecutionContext, encv: EncvResource):
        gate = gate_for(encv)
        if encv.try_gate(gate):
            yield Output(True, "go", metadata={"lock": gate.name, "skipped": False})
            return
        context.log.info("%s is held or too early: skipping this run", gate.name)
        yield Output(True, "skipped", metadata={"lock": gate.name, "skipped": True})

    return acquire_gate


def was_skipped(result, gate_name: str = "acquire_gate") -> bool:
    """Say whether an op-job result ended at its gate (CLI and tests)."""
    return any(
        event.step_key == gate_name
        and event.is_successful_output
        and event.event_specific_data.step_output_handle.output_name == "skipped"
        for event in result.all_events
    )
