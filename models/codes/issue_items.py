"""One code on its way through IssueService, and the small helpers around it."""

from __future__ import annotations

from dataclasses import dataclass

from db.rows import Realm
from models.codes import core as codes
from models.codes.issue_rules import Plan
from models.errors import DomainError, ErrorCode
from models.telemetry import metrics


@dataclass
class Item:
    """One code on its way: plan, then stored code, then delivery outcome."""

    plan: Plan
    report_id: int | None = None
    code: str = ""
    long_code: str = ""
    code_id: int | None = None
    uuid: str = ""
    message: str = ""
    error: DomainError | None = None
    duplicate_report: bool = False


def random_codes(realm: Realm) -> tuple[str, str]:
    """Return a new (short, long) code pair of the realm's lengths."""
    return (
        codes.generate_short_code(realm.code_length),
        codes.generate_long_code(realm.long_code_length),
    )


def generate_failed() -> DomainError:
    """Return the error of a code that kept colliding (protocol §5.1)."""
    return DomainError(
        "failed to generate otp code, please try again", ErrorCode.INTERNAL, 500
    )


def count_issued(realm: Realm, items: list[Item]) -> None:
    """Count the items stored without error in the realm's issued metric."""
    issued = sum(1 for i in items if i.code_id is not None and i.error is None)
    if issued:
        metrics.for_realm(metrics.CODES_ISSUED, realm.id).inc(issued)


def count_sms(realm: Realm, sent: list[Item]) -> None:
    """Count sent and failed text messages of the realm."""
    label = metrics.realm_label(realm.id)
    failed = sum(1 for i in sent if i.error is not None)
    if failed:
        metrics.SMS_SENT.labels(label, "failed").inc(failed)
    if len(sent) > failed:
        metrics.SMS_SENT.labels(label, "sent").inc(len(sent) - failed)
