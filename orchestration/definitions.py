"""The one Definitions object of encv's Dagster code location.

Every job runs with the in-process executor: the run's gate is taken and
released by the ``encv`` resource, which must live for the whole run (the
multiprocess executor would set it up and tear it down once per step).
"""

from dagster import Definitions, in_process_executor

from orchestration.duties import cleanup, modeler, rotation
from orchestration.resources import EncvResource

defs = Definitions(
    assets=[
        modeler.realm_stats,
        modeler.realm_abuse_prevention_forecast,
        modeler.realm_claim_ratio_model,
    ],
    asset_checks=[],
    jobs=[
        cleanup.cleanup_job,
        rotation.rotate_token_signing_key_job,
        rotation.rotate_realm_certificate_keys_job,
        rotation.rotate_secrets_job,
        modeler.modeler_job,
    ],
    schedules=[
        cleanup.cleanup_schedule,
        rotation.rotate_token_signing_key_schedule,
        rotation.rotate_realm_certificate_keys_schedule,
        rotation.rotate_secrets_schedule,
        modeler.modeler_schedule,
    ],
    resources={"encv": EncvResource()},
    executor=in_process_executor,
)
