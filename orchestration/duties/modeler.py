"""Modeler: the abuse-prevention forecast and the claim-ratio model as assets."""

from dagster import (
    AssetExecutionContext,
    MetadataValue,
    Output,
    asset,
    define_asset_job,
)

from models.duties import locks, modeler
from models.realms.lookup import list_realms
from models.telemetry import metrics
from orchestration.duties.tables import realm_stats
from orchestration.gating import WORK_RETRY, duty_schedule
from orchestration.resources import EncvResource


@asset(
    deps=[realm_stats],
    output_required=False,
    retry_policy=WORK_RETRY,
    group_name="modeler",
)
def realm_abuse_prevention_forecast(context: AssetExecutionContext, encv: EncvResource):
    """Tomorrow's code issuance per realm, stored as its abuse-prevention limit.

    A linear fit over the newest complete days of ``realm_stats.codes_issued``
    (operations §4.1), rounded and clamped to [10, 20000].
    """
    if not encv.try_gate(locks.MODELER):
        context.log.info("modelerLock held or too early: skipped")
        return
    today = encv.now().date()
    results = []
    with encv.connection() as conn:
        for realm in list_realms(conn):
            results.append(
                modeler.forecast_realm(
                    conn,
                    realm,
                    today=today,
                    cache=encv.services.cache,
                    lo=encv.settings.duties.modeler_min_value,
                    hi=encv.settings.duties.modeler_max_value,
                )
            )
    rows = [vars(result) for result in results]
    yield Output(
        rows,
        metadata={
            "realms": len(rows),
            "updated": sum(
                1
                for r in results
                if r.limit is not None and r.limit != r.previous_limit
            ),
            "per_realm": MetadataValue.json(rows),
        },
    )


@asset(
    deps=[realm_stats],
    output_required=False,
    retry_policy=WORK_RETRY,
    group_name="modeler",
)
def realm_claim_ratio_model(context: AssetExecutionContext, encv: EncvResource):
    """Yesterday's codes-claimed ratio against its 30-day history, per realm.

    Writes ``last_codes_claimed_ratio``, ``codes_claimed_ratio_mean`` and
    ``codes_claimed_ratio_stddev`` (operations §4.2); the emailer reads them.
    """
    if not encv.try_gate(locks.MODELER):
        context.log.info("modelerLock held or too early: skipped")
        return
    today = encv.now().date()
    rows = []
    with encv.connection() as conn:
        for realm in list_realms(conn):
            ratios = modeler.model_claim_ratio(
                conn, realm, today=today, cache=encv.services.cache
            )
            rows.append(
                {"realm_id": realm.id, "skipped": "not enough data"}
                if ratios is None
                else {
                    "realm_id": realm.id,
                    **vars(ratios),
                    "anomalous": (not realm.is_e2e)
                    and ratios.anomalous(encv.settings.duties.anomaly_allowed_stdevs),
                }
            )
    for row in rows:
        metrics.CLAIM_RATIO_ANOMALY.labels(str(row["realm_id"])).set(
            1 if row.get("anomalous") else 0
        )
    yield Output(
        rows,
        metadata={
            "realms": len(rows),
            "anomalous": sum(1 for row in rows if row.get("anomalous")),
            "per_realm": MetadataValue.json(rows),
        },
    )


modeler_job = define_asset_job(
    "modeler_job",
    selection=[realm_abuse_prevention_forecast, realm_claim_ratio_model],
    tags={"encv/lock": locks.MODELER.name},
    description="Rebuild the quota forecast and the claim-ratio model.",
)

modeler_schedule = duty_schedule("modeler_schedule", modeler_job, "0 */4 * * *")
