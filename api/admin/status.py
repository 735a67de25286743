"""``POST /api/checkcodestatus``: a code's state by UUID (protocol §5.3)."""

from __future__ import annotations

import falcon
import psycopg

from api.admin.wire import UUID_FIELDS, bind_or_400, padding
from db.pool import ConnectionSource
from models.codes.core import code_status
from models.errors import DomainError, ErrorCode
from models.realms.apikeys import KeyType


class CodeStatusResource:
    """Report whether a code of the realm was claimed and when it expires."""

    api_key_types = frozenset({KeyType.ADMIN})

    def __init__(self, db: ConnectionSource):
        self._db = db

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Look the code up in the key's realm (any ADMIN key may)."""
        body = bind_or_400(req, UUID_FIELDS, ErrorCode.NONE)
        try:
            with self._db.connection() as conn:
                row = code_status(conn, req.context.realm.id, body.get("uuid") or "")
        except psycopg.Error as ex:
            # The original answers a lookup failure with its own envelope; a
            # database that is down (DatabaseUnavailable) is a 503 instead.
            raise DomainError(
                "failed to check otp code status, please try again",
                ErrorCode.INTERNAL,
                500,
            ) from ex
        resp.media = {
            "padding": padding(),
            "claimed": row.claimed,
            "expiresAtTimestamp": int(row.expires_at.timestamp()),
            "longExpiresAtTimestamp": int(row.long_expires_at.timestamp()),
        }
