"""Operator e-mails: SMS errors and claim-ratio anomalies (operations §9)."""

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

from models.duties import emailer, locks
from orchestration.gating import acquire_gate, duty_schedule
from orchestration.resources import EncvResource


def _report(report: emailer.SendReport) -> dict:
    return {
        "sent": MetadataValue.json(report.sent),
        "skipped_no_contacts": MetadataValue.json(report.skipped),
        "errors": MetadataValue.json({str(k): v for k, v in report.errors.items()}),
    }


def _finish(report: emailer.SendReport):
    if report.errors:
        # Not retried: realms already e-mailed would get a second copy.
        raise Failure("some e-mails could not be sent", metadata=_report(report))
    return Output(None, metadata=_report(report))


@op(ins={"go": In(Nothing)})
def send_sms_error_emails(context: OpExecutionContext, encv: EncvResource):
    """E-mail realms whose SMS errors today reached the threshold."""
    if not encv.settings.ops.enable_emailer:
        context.log.info("ENABLE_EMAILER is off: nothing sent")
        return Output(None, metadata={"disabled": True})
    with encv.connection() as conn:
        report = emailer.send_sms_error_emails(conn, encv.settings, now=encv.now())
    return _finish(report)


@op(ins={"go": In(Nothing)})
def send_anomaly_emails(context: OpExecutionContext, encv: EncvResource):
    """E-mail realms whose last claim ratio is anomalous."""
    if not encv.settings.ops.enable_emailer:
        context.log.info("ENABLE_EMAILER is off: nothing sent")
        return Output(None, metadata={"disabled": True})
    with encv.connection() as conn:
        report = emailer.send_anomaly_emails(conn, encv.settings)
    return _finish(report)


@job(
    description="E-mail realms with a high SMS error count today.",
    tags={"encv/lock": locks.EMAILER_SMS_ERRORS.name},
)
def emailer_sms_errors_job():
    go, _skipped = acquire_gate()
    send_sms_error_emails(go)


@job(
    description="E-mail realms whose code claim ratio looks anomalous.",
    tags={"encv/lock": locks.EMAILER_ANOMALIES.name},
)
def emailer_anomalies_job():
    go, _skipped = acquire_gate()
    send_anomaly_emails(go)


emailer_sms_errors_schedule = duty_schedule(
    "emailer_sms_errors_schedule", emailer_sms_errors_job, "5 */12 * * *"
)
emailer_anomalies_schedule = duty_schedule(
    "emailer_anomalies_schedule", emailer_anomalies_job, "0 18 * * *"
)
