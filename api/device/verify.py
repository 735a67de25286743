"""``POST /api/verify``: exchange a verification code for a token (protocol §4.1)."""

from __future__ import annotations

import falcon

from api.common.auth import key_checked_on_error, with_current_key
from api.common.binding import ANY, string_list, text
from api.common.wire import bind_or_400, padding
from api.device.wire import day, without_empty
from db.pool import ConnectionSource
from models.codes.verify import Verifier, VerifyRequest, ensure_not_in_maintenance
from models.errors import ErrorCode
from models.realms.apikeys import KeyType

# A long code is at most 20 characters; a nonce is base64 of 256 bytes.
FIELDS = {
    "code": text(64),
    "accept": string_list(64),
    "nonce": text(1024),
    "padding": ANY,
}


class VerifyResource:
    """Claim a code once and answer with a signed verification token."""

    api_key_types = frozenset({KeyType.DEVICE})
    checks_api_key_version = True

    def __init__(self, db: ConnectionSource, verifier: Verifier, maintenance: bool):
        self._db = db
        self._verifier = verifier
        self._maintenance = maintenance

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Verify the code and return the token with its test metadata."""
        with key_checked_on_error(req):
            ensure_not_in_maintenance(self._maintenance)
            body = bind_or_400(req, FIELDS, ErrorCode.UNPARSABLE_REQUEST)
            request = VerifyRequest(
                code=body.get("code") or "",
                accept=body.get("accept"),
                nonce=body.get("nonce") or "",
                user_agent=req.user_agent or "",
            )

            def verify(key_version):
                with self._db.connection() as conn:
                    return self._verifier.verify(
                        conn,
                        realm_id=req.context.realm.id,
                        app_id=req.context.app.id,
                        request=request,
                        key_version=key_version,
                    )

            result = with_current_key(req, verify)
        resp.media = {
            "padding": padding(),
            **without_empty(
                {
                    "testtype": result.test_type,
                    "symptomDate": day(result.symptom_date),
                    "testDate": day(result.test_date),
                    "token": result.token,
                }
            ),
        }
