"""Backup: pg_dump of the database into ENCV_BACKUP_DIR (operations §8)."""

from dagster import In, Nothing, OpExecutionContext, Output, job, op

from models.duties import backup, locks
from orchestration.gating import WORK_RETRY, acquire_gate, duty_schedule
from orchestration.resources import EncvResource


@op(ins={"go": In(Nothing)}, retry_policy=WORK_RETRY)
def dump_database(context: OpExecutionContext, encv: EncvResource):
    """Write a verified plain-SQL dump and keep the newest ENCV_BACKUP_KEEP."""
    settings = encv.settings
    with encv.connection() as conn:
        server_major = conn.info.server_version // 10000
    path, size, pruned = backup.backup(
        settings.database_url.value,
        settings.ops.backup_dir,
        keep=settings.ops.backup_keep,
        now=encv.now(),
        server_major=server_major,
    )
    yield Output(
        None,
        metadata={"file": str(path), "bytes": size, "pruned": len(pruned)},
    )


@job(
    description="Back up the database with pg_dump.",
    tags={"encv/lock": locks.BACKUP.name},
)
def backup_job():
    go, _skipped = acquire_gate()
    dump_database(go)


backup_schedule = duty_schedule("backup_schedule", backup_job, "0 */4 * * *")
