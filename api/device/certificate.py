"""``POST /api/certificate``: token + TEK HMAC for a certificate (protocol §4.2)."""

from __future__ import annotations

import falcon

from api.common.auth import key_checked_on_error, with_current_key
from api.common.binding import ANY, text
from api.common.wire import bind_or_400, padding
from db.pool import ConnectionSource
from models.codes.certificate import Certifier
from models.errors import ErrorCode
from models.realms.apikeys import KeyType

# A token is a compact ES256 JWT (well under 2 KB); an HMAC is 32 bytes.
FIELDS = {"token": text(4096), "ekeyhmac": text(256), "padding": ANY}


class CertificateResource:
    """Sign a certificate for a valid, unused verification token."""

    api_key_types = frozenset({KeyType.DEVICE})
    checks_api_key_version = True

    def __init__(self, db: ConnectionSource, certifier: Certifier):
        self._db = db
        self._certifier = certifier

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Check the token and HMAC, claim the token, return the certificate."""
        with key_checked_on_error(req):
            # [PARITY] no maintenance check here, and binding errors are token_invalid.
            body = bind_or_400(req, FIELDS, ErrorCode.TOKEN_INVALID)

            def certify(key_version):
                with self._db.connection() as conn:
                    return self._certifier.certify(
                        conn,
                        realm=req.context.realm,
                        app_id=req.context.app.id,
                        token=body.get("token") or "",
                        ekeyhmac=body.get("ekeyhmac") or "",
                        key_version=key_version,
                    )

            certificate = with_current_key(req, certify)
        resp.media = {"padding": padding(), "certificate": certificate}
