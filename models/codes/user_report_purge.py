"""System-admin purge of one phone from the user-report records (§5.10)."""

from __future__ import annotations

import psycopg

from db.queries.codes import user_report_rows as q
from models import audit
from models.codes.issue import PHONE_HMAC
from models.codes.phone import canonical_phone
from models.errors import DomainError, InvalidInput
from models.secrets import Secrets

SYSTEM_REALM = 0


def purge_phone(
    conn: psycopg.Connection, secrets: Secrets, raw_phone: str, *, actor: audit.Actor
) -> int:
    """Forget a phone's user reports (under every HMAC key); audit; return count.

    The number must be international: there is no realm to lend a region.
    """
    if not (raw_phone or "").strip():
        raise InvalidInput("Failed to decode phone number: phone number is empty")
    try:
        e164 = canonical_phone(raw_phone.strip(), None)
    except DomainError as ex:
        raise InvalidInput(f"Failed to decode phone number: {ex.message}") from None
    with conn.transaction():
        removed = q.purge_user_reports(
            conn, phone_hashes=secrets.hmac_all(conn, PHONE_HMAC, e164)
        )
        # The phone itself never enters the log, only that a purge happened.
        audit.record(
            conn,
            realm_id=SYSTEM_REALM,
            actor=actor,
            action="purged user report phone",
            target_id="user_reports",
            target_display=f"{removed} user report(s)",
        )
    return removed
