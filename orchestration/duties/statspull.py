"""Key-server stats pull as an asset with a freshness check (operations §6)."""

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    Failure,
    MetadataValue,
    Output,
    asset,
    asset_check,
    define_asset_job,
)

from models.duties import locks, statspull
from orchestration.gating import WORK_RETRY, duty_schedule
from orchestration.resources import EncvResource


@asset(output_required=False, retry_policy=WORK_RETRY, group_name="stats")
def key_server_stats_days(context: AssetExecutionContext, encv: EncvResource):
    """Daily publish statistics per realm, copied from the key server."""
    if not encv.try_gate(locks.STATS_PULLER):
        context.log.info("statsPullerLock held or too early: skipped")
        return
    services = encv.services
    report = statspull.pull_all(
        services.db, services.keystore, services.settings, now=encv.now()
    )
    metadata = {
        "realms_pulled": report.realms_pulled,
        "days_upserted": report.days_upserted,
        "failed_realms": MetadataValue.json(
            {str(k): v for k, v in report.failed.items()}
        ),
    }
    if report.failed:
        raise Failure(
            f"stats pull failed for {len(report.failed)} realm(s)",
            metadata=metadata,
            allow_retries=False,  # each realm call already retried
        )
    yield Output(None, metadata=metadata)


@asset_check(
    asset=key_server_stats_days,
    description="Every opted-in realm has a stats day at most 2 days old.",
)
def key_server_stats_fresh(encv: EncvResource) -> AssetCheckResult:
    with encv.connection() as conn:
        stale = statspull.stale_realms(conn, now=encv.now())
    # WARN, not ERROR: low-volume realms legitimately have gaps.
    return AssetCheckResult(
        passed=not stale,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "stale_realms": MetadataValue.json({str(k): v for k, v in stale.items()})
        },
    )


stats_pull_job = define_asset_job(
    "stats_pull_job",
    selection=[key_server_stats_days],
    tags={"encv/lock": locks.STATS_PULLER.name},
    description="Pull key-server publish statistics for opted-in realms.",
)

stats_pull_schedule = duty_schedule(
    "stats_pull_schedule", stats_pull_job, "*/15 * * * *"
)
