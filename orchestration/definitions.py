"""The one Definitions object of encv's Dagster code location.

Every job runs with the in-process executor: a run's gate is taken and
released by the ``encv`` resource, which must live for the whole run (the
multiprocess executor would set it up and tear it down once per step).
Schedules start running by default: these duties are the system's
housekeeping, not optional reports. The e-mail jobs send nothing unless
``ENABLE_EMAILER`` is true.
"""

from dagster import DefaultScheduleStatus, Definitions, in_process_executor

from orchestration.duties import (
    appsync,
    backup,
    cleanup,
    e2e,
    emailer,
    modeler,
    rotation,
    statspull,
    tables,
)
from orchestration.resources import EncvResource
from orchestration.sensors import build_sensors

SCHEDULES = [
    cleanup.cleanup_schedule,
    rotation.rotate_token_signing_key_schedule,
    rotation.rotate_realm_certificate_keys_schedule,
    rotation.rotate_secrets_schedule,
    modeler.modeler_schedule,
    appsync.appsync_schedule,
    statspull.stats_pull_schedule,
    *e2e.E2E_SCHEDULES,
    backup.backup_schedule,
    emailer.emailer_sms_errors_schedule,
    emailer.emailer_anomalies_schedule,
]

JOBS = [
    cleanup.cleanup_job,
    rotation.rotate_token_signing_key_job,
    rotation.rotate_realm_certificate_keys_job,
    rotation.rotate_secrets_job,
    modeler.modeler_job,
    appsync.appsync_job,
    statspull.stats_pull_job,
    *e2e.E2E_JOBS,
    backup.backup_job,
    emailer.emailer_sms_errors_job,
    emailer.emailer_anomalies_job,
]

# Forward progress watches the duties whose schedules run by default here.
WATCHED = [
    schedule.job_name
    for schedule in SCHEDULES
    if schedule.default_status == DefaultScheduleStatus.RUNNING
]

defs = Definitions(
    assets=[
        *tables.STATS_TABLES.values(),
        modeler.realm_abuse_prevention_forecast,
        modeler.realm_claim_ratio_model,
        appsync.published_apps_feed,
        appsync.realm_app_sync,
        statspull.key_server_stats_days,
    ],
    asset_checks=[appsync.feed_parsed_and_non_empty, statspull.key_server_stats_fresh],
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=build_sensors(
        JOBS,
        WATCHED,
        frozenset({"modeler_job", "appsync_job", "stats_pull_job"}),
    ),
    resources={"encv": EncvResource()},
    executor=in_process_executor,
)
