"""The one Definitions object of encv's Dagster code location.

Every job runs with the in-process executor: a run's gate is taken and
released by the ``encv`` resource, which must live for the whole run (the
multiprocess executor would set it up and tear it down once per step).
Schedules start running by default: these duties are the system's
housekeeping, not optional reports. The e-mail jobs send nothing unless
``ENABLE_EMAILER`` is true.
"""

from dagster import Definitions, in_process_executor

from orchestration.duties import (
    appsync,
    backup,
    cleanup,
    e2e,
    emailer,
    modeler,
    rotation,
    statspull,
)
from orchestration.resources import EncvResource

SCHEDULES = [
    cleanup.cleanup_schedule,
    rotation.rotate_token_signing_key_schedule,
    rotation.rotate_realm_certificate_keys_schedule,
    rotation.rotate_secrets_schedule,
    modeler.modeler_schedule,
    appsync.appsync_schedule,
    statspull.stats_pull_schedule,
    e2e.e2e_schedule,
    backup.backup_schedule,
    emailer.emailer_sms_errors_schedule,
    emailer.emailer_anomalies_schedule,
]

defs = Definitions(
    assets=[
        modeler.realm_stats,
        modeler.realm_abuse_prevention_forecast,
        modeler.realm_claim_ratio_model,
        appsync.published_apps_feed,
        appsync.realm_app_sync,
        statspull.key_server_stats_days,
    ],
    asset_checks=[appsync.feed_parsed_and_non_empty, statspull.key_server_stats_fresh],
    jobs=[
        cleanup.cleanup_job,
        rotation.rotate_token_signing_key_job,
        rotation.rotate_realm_certificate_keys_job,
        rotation.rotate_secrets_job,
        modeler.modeler_job,
        appsync.appsync_job,
        statspull.stats_pull_job,
        e2e.e2e_job,
        backup.backup_job,
        emailer.emailer_sms_errors_job,
        emailer.emailer_anomalies_job,
    ],
    schedules=SCHEDULES,
    resources={"encv": EncvResource()},
    executor=in_process_executor,
)
