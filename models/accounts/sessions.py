"""Encrypted session cookies and the session rules of ui-and-data §2.1, §2.2.

The session lives entirely in one cookie: JSON sealed with AES-256-GCM under
the first 32 bytes of a ``cookie_keys`` secret. Encoding uses the newest key,
decoding tries every key so a rotation does not sign anybody out. The sealed
value carries its issue time and is refused once older than the session
duration; an unreadable cookie simply yields a fresh, empty session.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

COOKIE_NAME = "verification-server-session"
FLASH_KINDS = ("alert", "warning", "error")
_AAD = b"encv-session-v1"


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _micros(when: dt.datetime) -> int:
    return (when - _EPOCH) // dt.timedelta(microseconds=1)


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CookieCodec:
    """Seal and open session payloads with rotating AES-GCM keys."""

    def __init__(self, keys: list[bytes], max_age: float):
        if not keys or any(len(key) < 32 for key in keys):
            raise ValueError("cookie keys must be at least 32 bytes")
        self._aeads = [AESGCM(key[:32]) for key in keys]
        self.max_age = max_age

    def encode(self, data: dict, now: dt.datetime) -> str:
        """Return the sealed cookie value for ``data`` issued at ``now``."""
        body = json.dumps({"d": data, "t": int(now.timestamp())}, separators=(",", ":"))
        nonce = os.urandom(12)
        return _b64e(nonce + self._aeads[0].encrypt(nonce, body.encode(), _AAD))

    def decode(self, value: str, now: dt.datetime) -> dict | None:
        """Return the payload, or None when forged, foreign or too old."""
        try:
            blob = _b64d(value)
        except (binascii.Error, ValueError):
            return None
        if len(blob) < 29:
            return None
        for aead in self._aeads:
            try:
                body = json.loads(aead.decrypt(blob[:12], blob[12:], _AAD))
            except (InvalidTag, ValueError):
                continue
            if now.timestamp() - body.get("t", 0) > self.max_age:
                return None
            return body.get("d") if isinstance(body.get("d"), dict) else None
        return None


@dataclass
class Session:
    """The values kept in one browser's session."""

    data: dict[str, Any] = field(default_factory=dict)

    # -- identity ---------------------------------------------------------
    def sign_in(self, user_id: int, email: str, now: dt.datetime, mfa: bool) -> None:
        """Store a fresh identity and a new CSRF token (flashes are kept).

        The token a page showed before sign-in is refused afterwards, so a
        token planted or read in the anonymous session buys nothing.
        """
        for key in (
            "realm",
            "mfa_prompted",
            "email_prompted",
            "welcome",
            "pwd_warned",
            "csrf",
            "auth",
        ):
            self.data.pop(key, None)
        # Microseconds since the epoch, exact: revocation compares to the
        # microsecond with users.sessions_valid_after.
        self.data.update(uid=user_id, email=email, auth_us=_micros(now), mfa=mfa)
        self.csrf_token()

    def sign_out(self) -> None:
        """Forget every value except the flash messages."""
        flashes = self.data.get("flash")
        self.data.clear()
        if flashes:
            self.data["flash"] = flashes

    @property
    def user_id(self) -> int | None:
        """Return the signed-in user id, if any."""
        return self.data.get("uid")

    @property
    def auth_time(self) -> dt.datetime | None:
        """Return when the identity was established (to the microsecond)."""
        micros = self.data.get("auth_us")
        if not isinstance(micros, int) or micros <= 0:
            return None
        return _EPOCH + dt.timedelta(microseconds=micros)

    def _auth_seconds(self) -> float | None:
        when = self.auth_time
        return when.timestamp() if when else None

    def touch(self, now: dt.datetime) -> None:
        """Record activity now (refreshes the idle timer)."""
        self.data["last"] = int(now.timestamp())

    def idle_expired(self, now: dt.datetime, idle_timeout: float) -> bool:
        """Say whether the last activity is older than ``idle_timeout``."""
        last = self.data.get("last")
        return bool(last) and now.timestamp() - last > idle_timeout

    def absolute_expired(self, now: dt.datetime, duration: float) -> bool:
        """Say whether the identity is older than the session duration."""
        auth = self._auth_seconds()
        return auth is not None and now.timestamp() - auth > duration

    def fresh(self, now: dt.datetime, window: float = 300.0) -> bool:
        """Say whether the sign-in happened within ``window`` seconds."""
        auth = self._auth_seconds()
        return auth is not None and now.timestamp() - auth <= window

    # -- flash messages ---------------------------------------------------
    def flash(self, kind: str, text: str) -> None:
        """Queue a flash message once."""
        box = self.data.setdefault("flash", {}).setdefault(kind, [])
        if text not in box:
            box.append(text)

    def take_flashes(self) -> dict[str, list[str]]:
        """Return and clear every flash list, each sorted case-insensitively."""
        box = self.data.pop("flash", {}) or {}
        return {kind: sorted(box.get(kind, []), key=str.lower) for kind in FLASH_KINDS}

    def clear_flashes(self) -> None:
        """Drop pending flash messages."""
        self.data.pop("flash", None)

    # -- CSRF -------------------------------------------------------------
    def csrf_token(self) -> bytes:
        """Return the session's stable 64-byte CSRF token, creating it once."""
        token = self.data.get("csrf")
        raw = _b64d(token) if token else b""
        if len(raw) != 64:
            raw = os.urandom(64)
            self.data["csrf"] = _b64e(raw)
        return raw

    def masked_csrf(self) -> str:
        """Return a freshly masked copy of the CSRF token for one render."""
        token = self.csrf_token()
        pad = os.urandom(64)
        return _b64e(pad + bytes(a ^ b for a, b in zip(pad, token, strict=True)))

    def csrf_valid(self, presented: str | None) -> bool:
        """Say whether a masked token presented by the browser matches."""
        if not presented or "csrf" not in self.data:
            return False
        try:
            raw = _b64d(presented)
        except (binascii.Error, ValueError):
            return False
        if len(raw) != 128:
            return False
        unmasked = bytes(a ^ b for a, b in zip(raw[:64], raw[64:], strict=True))
        return hmac.compare_digest(unmasked, self.csrf_token())
