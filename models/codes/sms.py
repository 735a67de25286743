"""SMS: templates (§3.6), authenticated SMS (§3.7) and the provider client.

The provider is any Twilio-compatible HTTP API (base URL from settings), so
tests and on-premise gateways can stand in for Twilio.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import psycopg

from db.crypto import Envelope
from db.keystore import KeyStore
from db.queries.codes import sms as q
from db.rows import Realm
from models.errors import DomainError, ErrorCode, Reason
from models.telemetry.logs import outgoing_headers

log = logging.getLogger(__name__)

DEFAULT_TEMPLATE_LABEL = "Default SMS template"
USER_REPORT_TEMPLATE_LABEL = "User Report"
DEFAULT_TEMPLATE = (
    "This is your Exposure Notifications Verification code: [longcode] "
    "Expires in [longexpires] hours"
)
DEFAULT_ENX_TEMPLATE = (
    "Your Exposure Notifications verification link: [enslink] "
    "Expires in [longexpires] hours (click for mobile device only)"
)
DEFAULT_USER_REPORT_TEMPLATE = (
    "Your requested Exposure Notifications code: [code] expires in [expires] "
    "minutes. If you did not request this code, please ignore this message."
)
DEFAULT_ENX_USER_REPORT_TEMPLATE = (
    "Your requested Exposure Notifications link: [enslink] expires in [expires] "
    "minutes. If you did not request this code, please ignore this message."
)

# Twilio error 21611: the sender's queue is full. 21211/21614: bad "To".
TWILIO_QUEUE_FULL = 21611
TWILIO_INVALID_NUMBER = frozenset({21211, 21614})

AUTH_TOKEN_AAD = "sms_configs.twilio_auth_token"


def choose_template(realm: Realm, label: str) -> str:
    """Return the realm's template for ``label`` (empty = the default one)."""
    if not label or label == DEFAULT_TEMPLATE_LABEL:
        return realm.sms_text_template
    alternates = realm.alternate_sms_templates
    if label == USER_REPORT_TEMPLATE_LABEL and not (alternates or {}).get(label):
        # NOTE(admin): the settings page adds this template when user reports
        # are switched on; a realm set up otherwise still gets a message that
        # fits a short-lived code instead of the long-code default.
        if realm.enable_en_express:
            return DEFAULT_ENX_USER_REPORT_TEMPLATE
        return DEFAULT_USER_REPORT_TEMPLATE
    if alternates is None:
        # The original falls back silently when no alternates exist at all.
        return realm.sms_text_template
    text = alternates.get(label)
    if not text:
        raise DomainError(
            f"no template found for label {label}",
            ErrorCode.NONE,
            reason=Reason.SMS_TEMPLATE_UNKNOWN,
            params={"label": label},
        )
    return text


def render_sms(
    template: str,
    *,
    code: str,
    long_code: str,
    region_code: str,
    short_ttl: float,
    long_ttl: float,
    enx_redirect_domain: str,
) -> str:
    """Expand a template's placeholders in the original's order."""
    if enx_redirect_domain:
        link = f"https://{region_code.lower()}.{enx_redirect_domain}/v?c={long_code}"
    else:
        link = f"ens://v?r={region_code}&c={long_code}"
    text = template.replace("[enslink]", link)
    text = text.replace("[region]", region_code)
    text = text.replace("[code]", code)
    text = text.replace("[expires]", str(int(short_ttl // 60)))
    text = text.replace("[longcode]", long_code)
    return text.replace("[longexpires]", str(int(long_ttl // 3600)))


def signing_purpose(test_type: str) -> str:
    """Return the signature purpose for a code of ``test_type``."""
    return "User Report" if test_type.lower() == "user-report" else "EN Report"


def signing_string(purpose: str, phone: str, at: dt.datetime, body: str) -> str:
    """Return the text an SMS signature covers (the date is always UTC)."""
    day = at.astimezone(dt.UTC).strftime("%Y-%m-%d")
    return f"{purpose}.{phone}.{day}.{body}"


def sign_sms(
    body: str,
    *,
    phone: str,
    at: dt.datetime,
    purpose: str,
    kid: str,
    sign: Callable[[bytes], bytes],
) -> str:
    """Append the authentication suffix; ``sign`` returns a DER ECDSA signature."""
    new_body = body + " \nAuthentication:"
    der = sign(signing_string(purpose, phone, at, new_body).encode())
    sig = base64.b64encode(der).decode().rstrip("=")
    return f"{new_body}{at.astimezone(dt.UTC).strftime('%m%d')}:{kid}:{sig}"


def sms_kid(realm_id: int, key_row_id: int) -> str:
    """Return the published key id of a realm's SMS signing key."""
    return f"r{realm_id}v{key_row_id}sms"


def realm_signer(
    conn: psycopg.Connection, keystore: KeyStore, realm: Realm
) -> tuple[str, Callable[[bytes], bytes]] | None:
    """Return (kid, sign) when the realm signs its SMS, else None.

    Raises sms_failure when signing is on but no usable key exists: the
    design sends nothing rather than an unsigned or empty message.
    """
    if not realm.use_authenticated_sms:
        return None
    row = q.active_sms_signing_key(conn, realm_id=realm.id)
    if row is None:
        raise DomainError(
            "failed to build sms: no active sms signing key", ErrorCode.SMS_FAILURE, 500
        )
    try:
        key = keystore.private_key(conn, row.key_id)
    except Exception as ex:  # any key-store failure means "cannot sign"
        log.error("cannot load sms signing key %s: %s", row.key_id, ex)
        raise DomainError(
            "failed to build sms: signing key unavailable", ErrorCode.SMS_FAILURE, 500
        ) from None
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    return sms_kid(realm.id, row.id), lambda data: key.sign(
        data, ec.ECDSA(hashes.SHA256())
    )


@dataclass(frozen=True)
class SmsProvider:
    """Credentials and senders of the realm's effective SMS configuration."""

    account_sid: str
    auth_token: str = ""
    from_number: str = ""
    user_report_from_number: str = ""

    def __repr__(self) -> str:
        return f"SmsProvider(account_sid={self.account_sid!r}, auth_token=***)"

    def sender(self, user_report: bool) -> str:
        """Return the sender for a message (user reports may have their own)."""
        if user_report and self.user_report_from_number:
            return self.user_report_from_number
        return self.from_number


def seal_auth_token(envelope: Envelope, token: str) -> str:
    """Encrypt a provider auth token for the ``sms_configs`` table."""
    return envelope.encrypt_text(token, AUTH_TOKEN_AAD)


def load_provider(
    conn: psycopg.Connection, envelope: Envelope, realm: Realm
) -> SmsProvider | None:
    """Return the realm's effective provider: the system one or its own."""
    if realm.use_system_sms_config and realm.can_use_system_sms_config:
        row = q.get_system_sms_config(conn)
        number = (
            q.get_sms_from_number(conn, number_id=realm.sms_from_number_id)
            if realm.sms_from_number_id
            else None
        )
        if row is not None and number:
            return _provider(envelope, row, from_number=number)
    row = q.get_realm_sms_config(conn, realm_id=realm.id)
    if row is None or not row.twilio_account_sid:
        return None
    return _provider(envelope, row, from_number=row.twilio_from_number)


def _provider(envelope: Envelope, row: q.SmsConfigRow, from_number: str):
    token = (
        envelope.decrypt_text(row.twilio_auth_token, AUTH_TOKEN_AAD)
        if row.twilio_auth_token
        else ""
    )
    return SmsProvider(
        account_sid=row.twilio_account_sid,
        auth_token=token,
        from_number=from_number,
        user_report_from_number=row.twilio_user_report_from_number,
    )


class SmsSendError(DomainError):
    """The provider refused or did not answer; ``provider_code`` is Twilio's."""

    def __init__(self, message: str, code: ErrorCode, provider_code: str = ""):
        super().__init__(message, code, 400)
        self.provider_code = provider_code


class SmsClient:
    """Send messages through a Twilio-compatible REST API."""

    def __init__(self, base_url: str, timeout: float):
        self._base = base_url.rstrip("/")
        # One client per process: it pools connections and is thread-safe.
        self._http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        """Close pooled connections."""
        self._http.close()

    def send(self, provider: SmsProvider, *, to: str, body: str, sender: str):
        """Send one message; raise SmsSendError with the wire error code."""
        form = {"To": to, "Body": body}
        # A messaging-service SID routes through Twilio's sender pool.
        if sender.startswith("MG") and len(sender) == 34:
            form["MessagingServiceSid"] = sender
        else:
            form["From"] = sender
        url = f"{self._base}/2010-04-01/Accounts/{provider.account_sid}/Messages.json"
        try:
            resp = self._http.post(
                url,
                data=form,
                auth=(provider.account_sid, provider.auth_token),
                headers=outgoing_headers(),
            )
        except httpx.HTTPError as ex:
            raise SmsSendError(
                f"failed to send sms: {type(ex).__name__}", ErrorCode.SMS_FAILURE
            ) from None
        if resp.status_code < 300:
            return
        raise _send_error(resp)


def _send_error(resp: httpx.Response) -> SmsSendError:
    try:
        data = resp.json()
    except ValueError:
        data = {}
    code = data.get("code") if isinstance(data, dict) else None
    message = data.get("message", "") if isinstance(data, dict) else ""
    text = f"failed to send sms: {message or resp.status_code}"
    if code == TWILIO_QUEUE_FULL:
        return SmsSendError(text, ErrorCode.SMS_QUEUE_FULL, str(code))
    if code in TWILIO_INVALID_NUMBER:
        return SmsSendError(text, ErrorCode.PHONE_NUMBER_INVALID, str(code))
    return SmsSendError(text, ErrorCode.SMS_FAILURE, str(code or ""))
