"""App sync: the published app feed and its sync into realms (operations §5)."""

from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    MetadataValue,
    Output,
    asset,
    asset_check,
    define_asset_job,
)

from models.duties import appsync, locks
from orchestration.gating import WORK_RETRY, duty_schedule
from orchestration.resources import EncvResource


@asset(output_required=False, retry_policy=WORK_RETRY, group_name="appsync")
def published_apps_feed(context: AssetExecutionContext, encv: EncvResource):
    """The published list of ENX apps (``ENCV_APP_FEED_URL``), as fetched."""
    if not encv.try_gate(locks.APP_SYNC):
        context.log.info("appSyncLock held or too early: skipped")
        return
    url = encv.settings.ops.app_feed_url
    if not url:
        context.log.info("ENCV_APP_FEED_URL is not set: nothing to sync")
        return
    limits = encv.settings.duties
    feed = appsync.fetch_feed(
        url,
        size_limit=limits.app_sync_size_limit,
        timeout=limits.app_sync_timeout,
    )
    regions = sorted({str(app.get("region", "")).upper() for app in feed["apps"]})
    yield Output(
        feed,
        metadata={
            "url": url,
            "apps": len(feed["apps"]),
            "regions": MetadataValue.json(regions),
        },
    )


@asset_check(asset=published_apps_feed, description="The feed parsed and lists apps.")
def feed_parsed_and_non_empty(published_apps_feed: dict) -> AssetCheckResult:
    apps = published_apps_feed.get("apps")
    ok = isinstance(apps, list) and len(apps) > 0
    return AssetCheckResult(passed=ok, metadata={"apps": len(apps or [])})


@asset(retry_policy=WORK_RETRY, group_name="appsync")
def realm_app_sync(
    context: AssetExecutionContext, encv: EncvResource, published_apps_feed: dict
):
    """Realm branding, translations and Android apps as the feed describes them."""
    with encv.connection() as conn:
        report = appsync.sync(conn, published_apps_feed, cache=encv.services.cache)
    metadata = {k: v for k, v in vars(report).items() if k != "errors"}
    metadata["errors"] = MetadataValue.json(report.errors)
    return Output(vars(report), metadata=metadata)


appsync_job = define_asset_job(
    "appsync_job",
    selection=[published_apps_feed, realm_app_sync],
    tags={"encv/lock": locks.APP_SYNC.name},
    description="Fetch the published app feed and sync it into realms.",
)

appsync_schedule = duty_schedule("appsync_schedule", appsync_job, "0 */4 * * *")
