"""Expiring a code on request, with its audit entry (protocol §5.4)."""

from __future__ import annotations

from db.pool import ConnectionSource
from db.queries.codes.core import CodeRow
from models import audit
from models.clock import Clock
from models.codes import core as codes
from models.telemetry import metrics


class ExpireService:
    """Expire codes of a realm in one transaction per request."""

    def __init__(self, db: ConnectionSource, clock: Clock):
        self._db = db
        self._clock = clock

    def expire(self, realm_id: int, actor: audit.Actor, code_uuid: str) -> CodeRow:
        """Expire a code now; audit the change; return the row afterwards."""
        now = self._clock.now()
        with self._db.connection() as conn, conn.transaction():
            before = codes.code_status(conn, realm_id, code_uuid)
            after = codes.expire_code(conn, realm_id, code_uuid, now)
            if after.expires_at != before.expires_at or (
                after.long_expires_at != before.long_expires_at
            ):
                audit.record(
                    conn,
                    realm_id=realm_id,
                    actor=actor,
                    action="expired verification code",
                    target_id=f"verification_codes:{after.id}",
                    target_display=str(after.uuid),
                    diff=(
                        f"-{before.expires_at.isoformat()}\n"
                        f"+{after.expires_at.isoformat()}"
                    ),
                )
                metrics.CODES_EXPIRED.labels(metrics.realm_label(realm_id)).inc()
        return after

    def expire_for_api_key(
        self, realm_id: int, app_id: int, app_name: str, code_uuid: str
    ) -> CodeRow:
        """Expire a code on behalf of an API key."""
        return self.expire(realm_id, audit.api_key_actor(app_id, app_name), code_uuid)
