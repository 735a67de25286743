"""Wire details shared by the device API resources (protocol §1.3)."""

from __future__ import annotations

import base64
import datetime as dt
import secrets

import falcon

from api.common.binding import BindError, bind
from models.errors import DomainError, ErrorCode

PADDING_MIN = 1024
PADDING_MAX = 2047


def padding() -> str:
    """Return b64std of 1024-2047 random bytes, fresh for every response."""
    size = PADDING_MIN + secrets.randbelow(PADDING_MAX - PADDING_MIN + 1)
    return base64.b64encode(secrets.token_bytes(size)).decode()


def day(value: dt.date | None) -> str | None:
    """Render a calendar date as ``YYYY-MM-DD`` (None stays None)."""
    return value.isoformat() if value else None


def without_empty(body: dict) -> dict:
    """Drop keys whose value is empty, like Go's ``omitempty``."""
    return {key: value for key, value in body.items() if value}


def bind_or(req: falcon.Request, fields: dict[str, str], code: ErrorCode) -> dict:
    """Bind the body; a binding failure becomes a 400 with ``code``."""
    try:
        return bind(req, fields)
    except BindError as ex:
        raise DomainError(str(ex), code) from None
