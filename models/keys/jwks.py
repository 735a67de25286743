"""Public certificate keys as JWKs (protocol §7.4), for the apiserver and the UI."""

from __future__ import annotations

import psycopg
from cryptography.hazmat.primitives.asymmetric import ec

from db.keystore import KeyStore
from db.queries.keys import bookkeeping as keys_q
from db.queries.keys import signing_keys as q
from db.queries.realms import core as realms_q
from models.crypto import b64url_raw
from models.errors import NotFound


def ec_jwk(kid: str, public_key: ec.EllipticCurvePublicKey) -> dict:
    """Return the P-256 public key as ``{kid, kty, crv, x, y}``."""
    numbers = public_key.public_numbers()
    return {
        "kid": kid,
        "kty": "EC",
        "crv": "P-256",
        "x": b64url_raw(numbers.x.to_bytes(32, "big")),
        "y": b64url_raw(numbers.y.to_bytes(32, "big")),
    }


def realm_jwks(conn: psycopg.Connection, keystore: KeyStore, realm_id: int) -> list:
    """Return every non-deleted realm certificate key, newest first (bare list).

    Raise NotFound (404) with the original's message for an unknown realm.
    """
    if realms_q.get_realm(conn, realm_id) is None:
        raise NotFound(f'no realm exists for region "{realm_id}"')
    return [
        ec_jwk(row.kid, keystore.public_key(conn, row.key_id))
        for row in q.list_realm_signing_keys(conn, realm_id=realm_id)
    ]


def all_certificate_jwks(conn: psycopg.Connection, keystore: KeyStore) -> dict:
    """Return ``{"keys": [...]}``: every system and realm certificate key.

    Each key carries ``alg`` and ``use`` so a key server can pick it by
    ``kid`` whatever signer a realm uses today.
    """
    keys = [
        ec_jwk(kid, keystore.public_key(conn, version))
        for kid, version, _active in keys_q.list_system_certificate_keys(conn)
    ]
    keys += [
        ec_jwk(row.kid, keystore.public_key(conn, row.key_id))
        for row in q.list_realm_signing_keys(conn)
    ]
    return {"keys": [{**key, "alg": "ES256", "use": "sig"} for key in keys]}


JWKS_CACHE_SECONDS = 300.0


def cached_realm_jwks(cache, db, keystore: KeyStore, realm_id: int) -> list:
    """Return :func:`realm_jwks` through the cache (five minutes per realm)."""

    def load() -> list:
        with db.connection() as conn:
            return realm_jwks(conn, keystore, realm_id)

    return cache.fetch(f"jwks:realm:{realm_id}", JWKS_CACHE_SECONDS, load)
