"""Twilio debugger callbacks that feed ``sms_error_stats`` (protocol §5.6)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json

import psycopg

from db.crypto import Envelope
from db.queries.codes.issue_stats import count_sms_error
from db.queries.realms import core as realms_q
from models.codes.sms import load_provider
from models.errors import DomainError


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """Return Twilio's request signature: HMAC-SHA1 of URL + sorted name+value."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def callback_url(host: str, path: str) -> str:
    """Rebuild the URL Twilio signed (http only for localhost, as the original)."""
    bare_host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    scheme = "http" if bare_host in ("localhost", "127.0.0.1") else "https"
    return f"{scheme}://{host}{path}"


def _bad(message: str) -> DomainError:
    return DomainError(message, status=400)


def record_twilio_error(
    conn: psycopg.Connection,
    envelope: Envelope,
    *,
    realm_id: int,
    url: str,
    params: dict[str, str],
    signature: str | None,
    now: dt.datetime,
) -> bool:
    """Validate a callback and count its error code; return whether one was counted."""
    if not signature:
        raise _bad("missing X-Twilio-Signature")
    level = params.get("Level", "").strip().lower()
    payload_type = params.get("PayloadType", "").strip().lower()
    if level != "error" or payload_type != "application/json":
        return False
    try:
        error_code = str(json.loads(params["Payload"]).get("error_code") or "")
    except (KeyError, ValueError, AttributeError):
        raise _bad("missing or invalid Payload") from None
    if not error_code:
        return False
    realm = realms_q.get_realm(conn, realm_id)
    provider = load_provider(conn, envelope, realm) if realm else None
    if provider is None:
        raise _bad("realm has no SMS configuration")
    if params.get("AccountSid", "") != provider.account_sid:
        raise _bad("account does not match")
    expected = twilio_signature(provider.auth_token, url, params)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise _bad("invalid signature")
    with conn.transaction():
        count_sms_error(conn, day=now.date(), realm_id=realm_id, error_code=error_code)
    return True
