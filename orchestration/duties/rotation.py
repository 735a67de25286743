"""Rotation of token keys, realm certificate keys and secrets (operations §3)."""

from dagster import (
    Failure,
    In,
    MetadataValue,
    Nothing,
    OpExecutionContext,
    Output,
    job,
    op,
)

from models.duties import locks, rotation
from models.telemetry import metrics
from orchestration.gating import WORK_RETRY, acquire_gate, duty_schedule
from orchestration.resources import EncvResource


@op(ins={"go": In(Nothing)}, retry_policy=WORK_RETRY)
def rotate_token_signing_key(context: OpExecutionContext, encv: EncvResource):
    """Create and activate a new token-signing key once the active one is old."""
    with encv.connection() as conn:
        kid = rotation.rotate_token_signing_key(
            conn,
            encv.services.keystore,
            now=encv.now(),
            max_age=encv.settings.duties.token_signing_key_max_age,
        )
    if kid is not None:
        metrics.ROTATED_KEYS.labels("token_signing_key").inc()
    yield Output(None, metadata={"rotated": kid is not None, "new_kid": kid or ""})


@job(
    description="Rotate the token-signing key (30-day age).",
    tags={"encv/lock": locks.TOKEN_ROTATION.name},
)
def rotate_token_signing_key_job():
    go, _skipped = acquire_gate()
    rotate_token_signing_key(go)


def _report_metadata(report: rotation.RealmKeyReport) -> dict:
    if report.created:
        metrics.ROTATED_KEYS.labels("certificate_key").inc(len(report.created))
    return {
        "created": MetadataValue.json(report.created),
        "activated": MetadataValue.json(report.activated),
        "destroyed": MetadataValue.json(report.destroyed),
        # Per-realm failures are reported, not fatal (parity with the original).
        "errors": MetadataValue.json({str(k): v for k, v in report.errors.items()}),
    }


@op(ins={"go": In(Nothing)}, retry_policy=WORK_RETRY)
def create_realm_keys(context: OpExecutionContext, encv: EncvResource):
    """Create a certificate key for auto-rotating realms that are due one."""
    report = rotation.RealmKeyReport()
    with encv.connection() as conn:
        rotation.create_realm_keys(
            conn,
            encv.services.keystore,
            now=encv.now(),
            settings=encv.settings.duties.rotation(),
            report=report,
        )
    yield Output(None, metadata=_report_metadata(report))


@op(ins={"created": In(Nothing)}, retry_policy=WORK_RETRY)
def activate_and_destroy_realm_keys(context: OpExecutionContext, encv: EncvResource):
    """Activate keys older than the delay; destroy keys retired long enough."""
    report = rotation.RealmKeyReport()
    with encv.connection() as conn:
        rotation.activate_and_destroy_realm_keys(
            conn,
            encv.services.keystore,
            now=encv.now(),
            settings=encv.settings.duties.rotation(),
            allowed_clock_skew=encv.settings.tokens.allowed_clock_skew,
            report=report,
        )
    yield Output(None, metadata=_report_metadata(report))


@op(ins={"go": In(Nothing)}, retry_policy=WORK_RETRY)
def rotate_system_certificate_key(context: OpExecutionContext, encv: EncvResource):
    """Rotate the system certificate key (realms without their own key use it)."""
    report = rotation.RealmKeyReport()
    tokens = encv.settings.tokens
    with encv.connection() as conn:
        rotation.rotate_system_certificate_key(
            conn,
            encv.services.keystore,
            now=encv.now(),
            settings=encv.settings.duties.rotation(),
            certificate_lifetime=tokens.certificate_duration
            + tokens.allowed_clock_skew,
            report=report,
        )
    yield Output(None, metadata=_report_metadata(report))


@job(
    description="Rotate certificate-signing keys: auto-rotating realms and system.",
    tags={"encv/lock": locks.VERIFICATION_ROTATION.name},
)
def rotate_realm_certificate_keys_job():
    go, _skipped = acquire_gate()
    activate_and_destroy_realm_keys(create_realm_keys(go))
    rotate_system_certificate_key(go)


def _secret_op(secret_type: str):
    @op(
        name=f"rotate_{secret_type}",
        ins={"go": In(Nothing)},
        retry_policy=WORK_RETRY,
        description=f"Create, activate, retire and destroy {secret_type} versions.",
    )
    def rotate(context: OpExecutionContext, encv: EncvResource):
        try:
            with encv.connection() as conn:
                report = rotation.rotate_secret_type(
                    conn,
                    encv.services.secret_store,
                    secret_type,
                    now=encv.now(),
                    settings=encv.settings.duties.rotation(),
                )
        except Exception as ex:
            raise Failure(f"{secret_type}: {ex}") from ex
        if report.created:
            metrics.ROTATED_KEYS.labels(secret_type).inc(len(report.created))
        yield Output(None, metadata={k: len(v) for k, v in vars(report).items()})

    return rotate


# One op per secret type (the set of types is fixed; their ages are settings).
SECRET_OPS = [
    _secret_op(secret_type) for secret_type in rotation.RotationSettings().secrets
]


@job(
    description="Rotate HMAC and cookie secrets (one op per secret type).",
    tags={"encv/lock": locks.SECRETS_ROTATION.name},
)
def rotate_secrets_job():
    go, _skipped = acquire_gate()
    for rotate in SECRET_OPS:
        rotate(go)


rotate_token_signing_key_schedule = duty_schedule(
    "rotate_token_signing_key_schedule", rotate_token_signing_key_job, "2,32 * * * *"
)
rotate_realm_certificate_keys_schedule = duty_schedule(
    "rotate_realm_certificate_keys_schedule",
    rotate_realm_certificate_keys_job,
    "*/15 * * * *",
)
rotate_secrets_schedule = duty_schedule(
    "rotate_secrets_schedule", rotate_secrets_job, "*/5 * * * *"
)
