"""Envelope encryption with AES-256-GCM under the key-encryption key (KEK)."""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"


class Envelope:
    """Encrypt and decrypt small values (keys, secrets, tokens) under a KEK."""

    def __init__(self, kek: bytes):
        if len(kek) != 32:
            raise ValueError("key-encryption key must be 32 bytes")
        self._aead = AESGCM(kek)

    def __repr__(self) -> str:
        return "Envelope(kek=***)"

    def encrypt(self, plaintext: bytes, aad: bytes = b"") -> bytes:
        """Return version || nonce || ciphertext+tag, bound to ``aad``."""
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, aad)

    def decrypt(self, blob: bytes, aad: bytes = b"") -> bytes:
        """Reverse :meth:`encrypt`; raise ``InvalidTag`` if tampered with."""
        if blob[:1] != _VERSION:
            raise ValueError("unknown envelope version")
        return self._aead.decrypt(blob[1:13], blob[13:], aad)

    def encrypt_text(self, text: str, aad: str = "") -> str:
        """Encrypt a string into base64 text (for text columns)."""
        return base64.b64encode(self.encrypt(text.encode(), aad.encode())).decode()

    def decrypt_text(self, blob: str, aad: str = "") -> str:
        """Reverse :meth:`encrypt_text`."""
        return self.decrypt(base64.b64decode(blob), aad.encode()).decode()
