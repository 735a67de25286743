"""``POST /api/expirecode``: expire a code of the realm now (protocol §5.4)."""

from __future__ import annotations

import falcon

from api.admin.wire import UUID_FIELDS, bind_or_400, padding
from models.codes.expiry import ExpireService
from models.errors import ErrorCode
from models.realms.apikeys import KeyType


class ExpireCodeResource:
    """Expire an unclaimed code; already expired codes are left as they are."""

    api_key_types = frozenset({KeyType.ADMIN})

    def __init__(self, expirer: ExpireService):
        self._expirer = expirer

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Expire the code and answer with its new expiry times."""
        body = bind_or_400(req, UUID_FIELDS, ErrorCode.NONE)
        app = req.context.app
        row = self._expirer.expire_for_api_key(
            req.context.realm.id, app.id, app.name, body.get("uuid") or ""
        )
        resp.media = {
            "padding": padding(),
            "expiresAtTimestamp": int(row.expires_at.timestamp()),
            "longExpiresAtTimestamp": int(row.long_expires_at.timestamp()),
        }
