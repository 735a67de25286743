"""ES256 JWTs: verification tokens and their signing keys (protocol §6, §7.1).

Keys are loaded once per process as key objects (PEM per call halves the
signing rate) and looked up through short in-process memos, so the hot path
does no key-table query.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re
import secrets as pysecrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import psycopg
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from db.keystore import KeyStore
from db.queries.keys import bookkeeping as q
from models.errors import DomainError, ErrorCode

ACTIVE_KEY_SECONDS = 30.0
KID_LOOKUP_SECONDS = 30 * 60.0  # protocol §7.1: kid lookups are cached 30 min

_ECDSA_SHA256 = ec.ECDSA(hashes.SHA256())
_ES256 = jwt.algorithms.ECAlgorithm(jwt.algorithms.ECAlgorithm.SHA256)
_B64URL_RAW = re.compile(r"[A-Za-z0-9_-]*")
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class Memo:
    """A per-process map whose entries expire after ``ttl`` seconds."""

    def __init__(self, ttl: float, monotonic: Callable[[], float] = time.monotonic):
        self._ttl = ttl
        self._now = monotonic
        self._items: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, loader: Callable[[], Any]) -> Any:
        """Return the cached value of ``key`` or load it (None is not cached)."""
        hit = self._items.get(key)
        if hit is not None and hit[0] > self._now():
            return hit[1]
        value = loader()
        if value is not None:
            with self._lock:
                self._items[key] = (self._now() + self._ttl, value)
        return value

    def clear(self) -> None:
        """Forget everything (after a rotation in this process)."""
        with self._lock:
            self._items.clear()


@dataclass(frozen=True)
class SigningKey:
    """A loaded private key and the ``kid`` its JWTs carry."""

    kid: str
    key: ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class Subject:
    """The parsed ``sub`` claim of a verification token."""

    test_type: str
    symptom_date: dt.date | None
    test_date: dt.date | None

    def format(self) -> str:
        """Return ``<type>.<symptom date or ''>.<test date or ''>``."""
        return ".".join(
            [
                self.test_type,
                self.symptom_date.isoformat() if self.symptom_date else "",
                self.test_date.isoformat() if self.test_date else "",
            ]
        )


def utc_day(value: dt.datetime | dt.date | None) -> dt.date | None:
    """Return the UTC calendar date of a stored date column (None stays None)."""
    if value is None or type(value) is dt.date:
        return value
    return value.astimezone(dt.UTC).date()


def _parse_day(value: str) -> dt.date:
    if len(value) != 10:
        raise ValueError(f'parsing time {value!r} as "2006-01-02": bad length')
    return dt.date.fromisoformat(value)


def parse_subject(sub: str) -> Subject:
    """Parse a token subject (2 or 3 parts); raise ValueError when malformed."""
    parts = sub.split(".")
    if len(parts) not in (2, 3):
        raise ValueError(f"subject must contain 2 or 3 parts, got: {len(parts)}")
    symptom = _parse_day(parts[1]) if parts[1] else None
    test = _parse_day(parts[2]) if len(parts) == 3 and parts[2] else None
    return Subject(parts[0], symptom, test)


def new_token_id() -> str:
    """Return 96 random bytes as unpadded standard base64 (128 characters)."""
    return base64.b64encode(pysecrets.token_bytes(96)).decode().rstrip("=")


def claims_json(claims: dict[str, Any]) -> bytes:
    """Serialise claims compactly in the given key order (as the original emits)."""
    text = json.dumps(claims, separators=(",", ":"), ensure_ascii=False)
    return text.translate(_ESCAPES).encode()


def _b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


@functools.lru_cache(maxsize=256)
def _header_segment(kid: str) -> bytes:
    # The header pyjwt wrote (sorted keys, compact), built once per key id.
    header = {"alg": "ES256", "kid": kid, "typ": "JWT"}
    return _b64url(json.dumps(header, separators=(",", ":"), sort_keys=True).encode())


def sign_jwt(key: SigningKey, claims: dict[str, Any]) -> str:
    """Return an ES256 JWT with header ``{"alg","kid","typ"}`` over ``claims``.

    Compact JWS by hand around ``cryptography``: pyjwt's encode rebuilt and
    re-serialised the header and re-checked the key on every call, about
    two thirds of a signature's CPU (issue 18 profile).
    """
    signing_input = _header_segment(key.kid) + b"." + _b64url(claims_json(claims))
    r, s = decode_dss_signature(key.key.sign(signing_input, _ECDSA_SHA256))
    size = (key.key.curve.key_size + 7) // 8
    signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return (signing_input + b"." + _b64url(signature)).decode()


@dataclass(frozen=True)
class Jws:
    """A parsed (not yet verified) compact ES256 JWS."""

    header: dict
    claims: dict
    signing_input: bytes
    signature: bytes

    @property
    def kid(self) -> str | None:
        """Return the header ``kid`` if it is a string."""
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None

    def verify(self, public_key: ec.EllipticCurvePublicKey) -> bool:
        """Say whether the signature holds under ``public_key``."""
        return _ES256.verify(self.signing_input, public_key, self.signature)


def _b64url_segment(segment: str) -> bytes:
    # Strict: URL alphabet, no padding, as JWS compact form requires. A C-level
    # regex check instead of pyjwt's per-character scan, which was the single
    # largest CPU cost of the certificate endpoint.
    if _B64URL_RAW.fullmatch(segment) is None or len(segment) % 4 == 1:
        raise ValueError("bad base64url segment")
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def parse_jws(token: str) -> Jws | None:
    """Split and decode an ES256 compact JWS; None when it is malformed."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_b64url_segment(parts[0]))
        claims = json.loads(_b64url_segment(parts[1]))
        signature = _b64url_segment(parts[2])
    except ValueError:  # bad base64, bad UTF-8 or bad JSON
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    if header.get("alg") != "ES256":
        return None
    signing_input = f"{parts[0]}.{parts[1]}".encode()
    return Jws(header, claims, signing_input, signature)


class TokenKeys:
    """The active token-signing key and verification keys by ``kid``."""

    def __init__(self, keystore: KeyStore):
        self._keystore = keystore
        self._active = Memo(ACTIVE_KEY_SECONDS)
        self._by_kid = Memo(KID_LOOKUP_SECONDS)

    def active(self, conn: psycopg.Connection) -> SigningKey:
        """Return the active token-signing key or raise a 500 domain error."""

        def load():
            row = q.active_token_signing_key(conn)
            if row is None:
                return None
            kid, version = row
            return SigningKey(kid, self._keystore.private_key(conn, version))

        try:
            key = self._active.get("active", load)
        except LookupError:
            key = None
        if key is None:
            raise DomainError("internal error", ErrorCode.INTERNAL, 500)
        return key

    def public_key(
        self, conn: psycopg.Connection, kid: str
    ) -> ec.EllipticCurvePublicKey | None:
        """Return the public key of any token-signing key still in the table."""

        def load():
            version = q.token_signing_key_by_kid(conn, kid)
            return self._keystore.public_key(conn, version) if version else None

        try:
            return self._by_kid.get(kid, load)
        except LookupError:
            return None

    def forget(self) -> None:
        """Drop memoised keys (after a rotation in this process)."""
        self._active.clear()
        self._by_kid.clear()
