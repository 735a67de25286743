"""Cleanup: one op per retention target (operations §2)."""

from dagster import In, Nothing, OpExecutionContext, Output, job, op

from models.duties import cleanup, locks
from models.telemetry import metrics
from orchestration.gating import WORK_RETRY, acquire_gate, duty_schedule
from orchestration.resources import EncvResource


def _purge_op(target: cleanup.PurgeTarget):
    @op(
        name=target.name,
        ins={"go": In(Nothing)},
        retry_policy=WORK_RETRY,
        tags={"cleanup/item": target.tag},
        description=f"Apply the {target.tag} retention rule; report rows affected.",
    )
    def purge(context: OpExecutionContext, encv: EncvResource):
        with encv.connection() as conn:
            rows = cleanup.run_target(
                conn,
                target,
                keystore=encv.services.keystore,
                ages=encv.settings.cleanup,
                now=encv.now(),
            )
        metrics.PURGED_ROWS.labels(target.tag).inc(rows)
        yield Output(None, metadata={"rows_affected": rows, "item": target.tag})

    return purge


PURGE_OPS = [_purge_op(target) for target in cleanup.TARGETS]


@job(
    description="Enforce retention: delete expired rows, blank code hashes.",
    tags={"encv/lock": locks.CLEANUP},
)
def cleanup_job():
    go, _skipped = acquire_gate()
    for purge in PURGE_OPS:
        purge(go)


cleanup_schedule = duty_schedule("cleanup_schedule", cleanup_job, "*/5 * * * *")
