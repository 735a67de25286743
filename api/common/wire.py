"""Wire pieces every JSON API surface shares: response padding, body binding."""

from __future__ import annotations

import base64
import secrets

import falcon

from api.common.binding import BindError, bind
from models.errors import DomainError, ErrorCode

PADDING_MIN = 1024
PADDING_MAX = 2047


def padding() -> str:
    """Return b64std of 1024-2047 random bytes, fresh per response (§1.3)."""
    size = PADDING_MIN + secrets.randbelow(PADDING_MAX - PADDING_MIN + 1)
    return base64.b64encode(secrets.token_bytes(size)).decode()


def bind_or_400(
    req: falcon.Request, fields: dict, code: ErrorCode = ErrorCode.UNPARSABLE_REQUEST
) -> dict:
    """Bind the body; a binding failure is a 400 with ``code`` (each endpoint's own)."""
    try:
        return bind(req, fields)
    except BindError as ex:
        raise DomainError(str(ex), code) from None
