"""HMAC helpers and encodings shared by the protocol rules."""

from __future__ import annotations

import base64
import hashlib
import hmac


def b64url_raw(data: bytes) -> str:
    """Encode bytes as URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def tolerant_b64decode(text: str) -> bytes:
    """Decode std or URL alphabet, padded or not (protocol conventions)."""
    text = text.replace("+", "-").replace("/", "_").rstrip("=")
    # validate=True: characters outside the alphabet are an error (as Go's
    # decoder), not silently skipped, so "..45" is refused.
    return base64.b64decode(
        text + "=" * (-len(text) % 4), altchars=b"-_", validate=True
    )


def hmac_sha512_b64url(key: bytes, text: str) -> str:
    """HMAC-SHA512 of ``text`` under ``key``, URL-safe base64 without padding."""
    return b64url_raw(hmac.new(key, text.encode(), hashlib.sha512).digest())
