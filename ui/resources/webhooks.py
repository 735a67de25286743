"""``POST /webhooks/{realm_id}/twilio``: SMS delivery errors from Twilio."""

from __future__ import annotations

import urllib.parse

import falcon

from models.codes.sms_webhook import callback_url, record_twilio_error
from models.errors import DomainError


class TwilioWebhook:
    """Count a realm's SMS errors reported by Twilio's debugger callback."""

    def __init__(self, db, envelope, clock):
        self._db = db
        self._envelope = envelope
        self._clock = clock

    def on_post(
        self, req: falcon.Request, resp: falcon.Response, realm_id: int
    ) -> None:
        """Validate the signed form and count the error; 400 on any mismatch."""
        params: dict[str, str] = {}
        # Body and query merged, first value of each name wins. The body is
        # read through get_media because middleware may already have parsed it.
        form = req.get_media(default_when_empty={}) if req.content_length else {}
        for name, value in (form if isinstance(form, dict) else {}).items():
            params[name] = value[0] if isinstance(value, list) else str(value)
        for name, value in urllib.parse.parse_qsl(
            req.query_string, keep_blank_values=True
        ):
            params.setdefault(name, value)
        try:
            with self._db.connection() as conn:
                record_twilio_error(
                    conn,
                    self._envelope,
                    realm_id=realm_id,
                    url=callback_url(req.get_header("Host") or "", req.path),
                    params=params,
                    signature=req.get_header("X-Twilio-Signature"),
                    now=self._clock.now(),
                )
        except DomainError as ex:
            resp.status = 400
            resp.media = {"error": ex.message}
            return
        resp.media = {"ok": True}
