import os

import pytest
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from db.crypto import Envelope
from db.keystore import KeyNotFound, PostgresKeyStore


def test_envelope_round_trip_and_tamper_detection():
    env = Envelope(os.urandom(32))
    blob = env.encrypt(b"secret bytes", b"aad")
    assert b"secret bytes" not in blob
    assert env.decrypt(blob, b"aad") == b"secret bytes"
    with pytest.raises(InvalidTag):
        env.decrypt(blob, b"other aad")
    with pytest.raises(InvalidTag):
        Envelope(os.urandom(32)).decrypt(blob, b"aad")
    assert "kek" in repr(env) and blob.hex() not in repr(env)


def test_key_round_trip_and_storage_is_encrypted(conn):
    store = PostgresKeyStore(Envelope(b"k" * 32))
    name = store.create_key_version(conn, "test/ring")
    priv = store.private_key(conn, name)
    signature = store.sign(conn, name, b"payload")
    store.public_key(conn, name).verify(
        signature, b"payload", ec.ECDSA(hashes.SHA256())
    )
    with pytest.raises(InvalidSignature):
        store.public_key(conn, name).verify(
            signature, b"other", ec.ECDSA(hashes.SHA256())
        )

    stored = bytes(
        conn.execute(
            "SELECT private_key_enc FROM key_versions WHERE name = %s", (name,)
        ).fetchone()[0]
    )
    plain_der = priv.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    raw_scalar = priv.private_numbers().private_value.to_bytes(32, "big")
    assert plain_der not in stored and raw_scalar not in stored

    # A fresh store (new process) decrypts the same key from the database.
    again = PostgresKeyStore(Envelope(b"k" * 32)).private_key(conn, name)
    assert again.private_numbers() == priv.private_numbers()
    # The wrong KEK cannot.
    with pytest.raises(InvalidTag):
        PostgresKeyStore(Envelope(b"x" * 32)).private_key(conn, name)


def test_destroy_removes_private_half(conn):
    store = PostgresKeyStore(Envelope(b"k" * 32))
    name = store.create_key_version(conn, "test/ring")
    store.private_key(conn, name)
    store.destroy(conn, name)
    store.destroy(conn, name)  # idempotent
    with pytest.raises(KeyNotFound):
        store.private_key(conn, name)
    assert store.public_key(conn, name) is not None
