"""Key store for ES256 (P-256) signing keys.

:class:`KeyStore` is the interface callers use; :class:`PostgresKeyStore`
keeps key versions in ``key_versions`` with the private half encrypted under
the KEK. A cloud KMS implementation only needs the same five methods.
"""

from __future__ import annotations

import secrets
import threading
from typing import Protocol

import psycopg
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from db.crypto import Envelope


class KeyNotFound(LookupError):
    """No usable key version has that name."""


class KeyStore(Protocol):
    """Create, load and destroy ES256 key versions by name."""

    def create_key_version(self, conn: psycopg.Connection, key_ring: str) -> str:
        """Create a new key version in ``key_ring`` and return its name."""
        ...

    def private_key(
        self, conn: psycopg.Connection, name: str
    ) -> ec.EllipticCurvePrivateKey:
        """Return the loaded private key of a key version."""
        ...

    def public_key(
        self, conn: psycopg.Connection, name: str
    ) -> ec.EllipticCurvePublicKey:
        """Return the public key of a key version."""
        ...

    def sign(self, conn: psycopg.Connection, name: str, digest_input: bytes) -> bytes:
        """Sign ``digest_input`` with ECDSA/SHA-256 and return the DER signature."""
        ...

    def destroy(self, conn: psycopg.Connection, name: str) -> None:
        """Destroy the private half of a key version (idempotent)."""
        ...


class PostgresKeyStore:
    """Key versions in PostgreSQL, private keys sealed with AES-256-GCM."""

    def __init__(self, envelope: Envelope):
        self._envelope = envelope
        # Key versions are immutable once created, so loaded objects can be
        # kept for the life of the process (parsing PEM per call halves
        # signing throughput).
        self._private: dict[str, ec.EllipticCurvePrivateKey] = {}
        self._public: dict[str, ec.EllipticCurvePublicKey] = {}
        self._lock = threading.Lock()

    def create_key_version(self, conn: psycopg.Connection, key_ring: str) -> str:
        """Generate a P-256 key, store it sealed, and return its version name."""
        key = ec.generate_private_key(ec.SECP256R1())
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        pem = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
            .decode()
        )
        with conn.transaction():
            row = conn.execute(
                "SELECT count(*) + 1 FROM key_versions WHERE key_ring = %(ring)s",
                {"ring": key_ring},
            ).fetchone()
            # A random suffix keeps names unique even if two processes race.
            name = f"{key_ring}/cryptoKeyVersions/{row[0]}-{secrets.token_hex(4)}"
            conn.execute(
                "INSERT INTO key_versions"
                " (name, key_ring, private_key_enc, public_key_pem)"
                " VALUES (%(name)s, %(ring)s, %(enc)s, %(pem)s)",
                {
                    "name": name,
                    "ring": key_ring,
                    "enc": self._envelope.encrypt(der, name.encode()),
                    "pem": pem,
                },
            )
        return name

    def private_key(
        self, conn: psycopg.Connection, name: str
    ) -> ec.EllipticCurvePrivateKey:
        """Return (and cache) the decrypted private key of ``name``."""
        key = self._private.get(name)
        if key is not None:
            return key
        row = conn.execute(
            "SELECT private_key_enc FROM key_versions"
            " WHERE name = %(name)s AND destroyed_at IS NULL",
            {"name": name},
        ).fetchone()
        if row is None or row[0] is None:
            raise KeyNotFound(name)
        der = self._envelope.decrypt(bytes(row[0]), name.encode())
        key = serialization.load_der_private_key(der, password=None)
        with self._lock:
            self._private[name] = key
        return key

    def public_key(
        self, conn: psycopg.Connection, name: str
    ) -> ec.EllipticCurvePublicKey:
        """Return (and cache) the public key of ``name``."""
        key = self._public.get(name)
        if key is not None:
            return key
        row = conn.execute(
            "SELECT public_key_pem FROM key_versions WHERE name = %(name)s",
            {"name": name},
        ).fetchone()
        if row is None:
            raise KeyNotFound(name)
        key = serialization.load_pem_public_key(row[0].encode())
        with self._lock:
            self._public[name] = key
        return key

    def sign(self, conn: psycopg.Connection, name: str, digest_input: bytes) -> bytes:
        """Sign with ECDSA P-256 / SHA-256; DER-encoded signature."""
        return self.private_key(conn, name).sign(
            digest_input, ec.ECDSA(hashes.SHA256())
        )

    def destroy(self, conn: psycopg.Connection, name: str) -> None:
        """Erase the sealed private key; already-destroyed counts as success."""
        conn.execute(
            "UPDATE key_versions SET private_key_enc = NULL,"
            " destroyed_at = coalesce(destroyed_at, now()) WHERE name = %(name)s",
            {"name": name},
        )
        with self._lock:
            self._private.pop(name, None)
