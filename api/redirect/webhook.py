"""POST an issued user-report code to the realm's webhook (protocol §8.4)."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

from api.common.jsonio import dumps
from api.common.wire import padding
from db.crypto import Envelope
from db.rows import Realm
from models.redirect.rules import webhook_signature

log = logging.getLogger(__name__)


class WebhookFailed(RuntimeError):
    """The webhook did not answer 200 (or could not be reached)."""


class WebhookSender:
    """Sign and send the issue response to ``realm.user_report_webhook_url``."""

    def __init__(self, envelope: Envelope, timeout: float = 10.0):
        self._envelope = envelope
        self._timeout = timeout

    def _secret(self, realm: Realm) -> str:
        sealed = realm.user_report_webhook_secret or ""
        if not sealed:
            return ""
        try:
            return self._envelope.decrypt_text(sealed)
        except Exception as ex:  # a secret we cannot open must not be sent unsigned
            raise WebhookFailed(f"cannot open the webhook secret: {ex}") from ex

    def send(self, realm: Realm, payload: dict) -> None:
        """Send ``payload``; raise WebhookFailed unless the webhook says 200."""
        payload = {"padding": padding(), **payload}
        # Go's json.Marshal: compact, HTML characters escaped, no newline.
        body = dumps(payload).rstrip("\n").encode()
        request = urllib.request.Request(  # noqa: S310 - realm-configured https URL
            realm.user_report_webhook_url or "",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Signature": webhook_signature(self._secret(realm), body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as resp:  # noqa: S310
                status = resp.status
        except urllib.error.HTTPError as ex:
            status = ex.code
        except (OSError, ValueError) as ex:
            raise WebhookFailed(f"webhook request failed: {ex}") from ex
        if status != 200:
            raise WebhookFailed(f"unsuccessful response from webhook ({status})")
