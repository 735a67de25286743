"""The web view's own session cookie ``en-user-report`` and its CSRF token.

The cookie is the session: a small JSON object sealed with AES-256-GCM under
the first 32 bytes of the newest ``cookie_keys`` secret. Decoding tries every
key, so rotating the secret does not sign people out. A cookie that fails to
open, or is older than the session duration, yields a fresh empty session.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

COOKIE_NAME = "en-user-report"
_AAD = COOKIE_NAME.encode()
_CSRF_BYTES = 32


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionCodec:
    """Seal and open session dictionaries with the rotating cookie keys."""

    def __init__(self, keys: Callable[[], list[bytes]], max_age: float):
        self._keys = keys
        self.max_age = max_age

    def seal(self, data: dict, now: float) -> str:
        """Return the cookie value for ``data`` stamped with ``now``."""
        payload = json.dumps({**data, "_t": int(now)}, separators=(",", ":"))
        nonce = os.urandom(12)
        aead = AESGCM(self._keys()[0][:32])
        return _b64e(nonce + aead.encrypt(nonce, payload.encode(), _AAD))

    def open(self, value: str | None, now: float) -> dict:
        """Return the session in ``value``, or {} if absent, forged or expired."""
        if not value:
            return {}
        try:
            blob = _b64d(value)
        except (binascii.Error, ValueError):
            return {}
        for key in self._keys():
            try:
                payload = AESGCM(key[:32]).decrypt(blob[:12], blob[12:], _AAD)
            except (InvalidTag, ValueError):
                continue
            data = json.loads(payload)
            if now - data.pop("_t", 0) > self.max_age:
                return {}
            return data
        return {}


def new_csrf_token() -> str:
    """Return a fresh random CSRF token for a session."""
    return _b64e(os.urandom(_CSRF_BYTES))


def mask_csrf(token: str) -> str:
    """Return a per-render masked copy of ``token`` (pad || pad XOR token)."""
    raw = _b64d(token)
    pad = os.urandom(len(raw))
    return _b64e(pad + bytes(a ^ b for a, b in zip(pad, raw, strict=True)))


def csrf_matches(token: str, masked: str) -> bool:
    """Say whether a masked value from a form unmasks to ``token``."""
    try:
        blob, raw = _b64d(masked), _b64d(token)
    except (binascii.Error, ValueError):
        return False
    if len(blob) != 2 * len(raw) or not raw:
        return False
    pad, body = blob[: len(raw)], blob[len(raw) :]
    unmasked = bytes(a ^ b for a, b in zip(pad, body, strict=True))
    return hmac.compare_digest(unmasked, raw)
