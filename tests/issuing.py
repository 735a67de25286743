"""Helpers for issuing tests: realms, keys, SMS configs and signing keys."""

from __future__ import annotations

import datetime as dt

import psycopg

from db.queries.codes import sms as sms_q
from db.queries.realms import core as realm_q
from models.codes import sms
from models.realms.apikeys import KeyType, create_api_key

TWILIO_SID = "AC" + "0" * 32


def make_realm(conn: psycopg.Connection, name: str = "Issuing", **settings) -> int:
    """Create a realm that allows every test type unless told otherwise."""
    columns = {"allowed_test_types": 30, "region_code": name.upper()[:10], **settings}
    return realm_q.insert_realm(conn, name, **columns)


def make_key(conn, services, realm_id: int, key_type=KeyType.ADMIN, name="pha"):
    """Create an API key; return (plaintext, id)."""
    return create_api_key(
        conn, services.secrets, realm_id=realm_id, name=name, key_type=key_type
    )


def add_sms_config(conn, services, realm_id: int, token: str = "secret-token"):  # noqa: S107
    """Give a realm its own Twilio-compatible configuration."""
    return sms_q.upsert_realm_sms_config(
        conn,
        realm_id=realm_id,
        account_sid=TWILIO_SID,
        sealed_auth_token=sms.seal_auth_token(services.envelope, token),
        from_number="+15005550006",
        user_report_from_number="+15005550007",
    )


def add_sms_signing_key(conn, services, realm_id: int) -> tuple[str, object]:
    """Create an active SMS signing key; return (kid, public key)."""
    version = services.keystore.create_key_version(conn, f"realm-sms-{realm_id}")
    row_id = sms_q.insert_sms_signing_key(
        conn, realm_id=realm_id, key_id=version, active=True
    )
    return sms.sms_kid(realm_id, row_id), services.keystore.public_key(conn, version)


def count(conn, sql, **params):
    return conn.execute(sql, params).fetchone()[0]


def realm_codes(conn, realm_id):
    return count(
        conn, "SELECT count(*) FROM verification_codes WHERE realm_id=%(r)s", r=realm_id
    )


TODAY = dt.datetime.now(dt.UTC).date()


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()
