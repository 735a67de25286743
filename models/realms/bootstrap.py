"""The demo realm that lets a new installation exercise the whole protocol."""

from __future__ import annotations

import secrets as pysecrets
from dataclasses import asdict, dataclass

import psycopg
from psycopg.types.json import Jsonb

from db.queries import system as system_q
from db.queries.accounts import users as users_q
from db.queries.realms import apikeys as keys_q
from db.queries.realms import core as realms_q
from db.queries.realms import mobile_apps as apps_q
from models import audit
from models.accounts.passwords import hash_password
from models.accounts.rbac import LEGACY_REALM_ADMIN
from models.realms.apikeys import KeyType, create_api_key, new_key_material
from models.secrets import Secrets

DEMO_REALM = "Demo Health Authority"
DEMO_REGION = "US-DEMO"
SYSTEM_ADMIN_EMAIL = "super@example.com"
REALM_ADMIN_EMAIL = "demo-admin@example.com"

ENX_TEMPLATE = (
    "Your Exposure Notifications verification link: [enslink] Expires in "
    "[longexpires] hours (click for mobile device only)"
)
ENX_USER_REPORT_TEMPLATE = (
    "Your requested Exposure Notifications link: [enslink] expires in [expires] "
    "minutes. If you did not request this code, please ignore this message."
)

# Every feature that needs no outside service: all four test types, bulk
# upload, generated SMS, ENX links and the user-report web view; abuse
# prevention off.
DEMO_SETTINGS = {
    "region_code": DEMO_REGION,
    "allowed_test_types": 2 | 4 | 8 | 16,
    "require_date": False,
    "allow_bulk_upload": True,
    "allow_generated_sms": True,
    "allow_admin_user_report": True,
    "allow_user_report_web_view": True,
    "enable_en_express": True,
    "sms_text_template": ENX_TEMPLATE,
    "sms_country": "us",
    "abuse_prevention_enabled": False,
    "default_locale": "en",
    "user_report_learn_more_url": "https://example.com/learn-more",
}

DEMO_APPS = (
    # (name, os, app id, store url, sha256 fingerprints)
    (
        "Demo EN iOS",
        1,
        "ABCDE12345.com.example.encv.demo",
        "https://apps.apple.com/app/id000000000",
        "",
    ),
    (
        "Demo EN Android",
        2,
        "com.example.encv.demo",
        "https://play.google.com/store/apps/details?id=com.example.encv.demo",
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99",
    ),
)


@dataclass(frozen=True)
class DemoCredentials:
    """What `encv bootstrap --demo --json` prints."""

    realm_id: int
    realm_name: str
    region_code: str
    admin_api_key: str
    device_api_key: str
    stats_api_key: str
    system_admin: dict
    realm_admin: dict

    def as_json(self) -> dict:
        """Return the CLI contract's JSON object."""
        return asdict(self)


def _password() -> str:
    # Meets every complexity rule: upper, lower, digit, special, length 20+.
    return f"Demo-{pysecrets.token_urlsafe(12)}-7a"


def _api_key(
    conn: psycopg.Connection,
    secrets: Secrets,
    realm_id: int,
    name: str,
    key_type: KeyType,
) -> str:
    existing = keys_q.get_authorized_app_by_name(conn, realm_id, name)
    if existing is None:
        plaintext, _ = create_api_key(
            conn, secrets, realm_id=realm_id, name=name, key_type=key_type
        )
        return plaintext
    plaintext, preview, key_hmac = new_key_material(secrets, conn, realm_id)
    keys_q.replace_authorized_app_key(
        conn, existing.id, preview=preview, key_hmac=key_hmac
    )
    return plaintext


def bootstrap_demo(conn: psycopg.Connection, secrets: Secrets) -> DemoCredentials:
    """Create or refresh the demo realm; issue fresh keys and passwords."""
    with conn.transaction():
        # Two concurrent bootstraps must not both create the realm.
        system_q.advisory_xact_lock(conn, "encv-bootstrap-demo")
        realm = realms_q.get_realm_by_name(conn, DEMO_REALM)
        if realm is None:
            realm_id = realms_q.insert_realm(
                conn,
                DEMO_REALM,
                **DEMO_SETTINGS,
                alternate_sms_templates=Jsonb(
                    {"User Report": ENX_USER_REPORT_TEMPLATE}
                ),
            )
            audit.record(
                conn,
                realm_id=realm_id,
                actor=audit.SYSTEM,
                action="created realm",
                target_id=f"realms:{realm_id}",
                target_display=DEMO_REALM,
            )
        else:
            realm_id = realm.id
        for name, os_type, app_id, url, sha in DEMO_APPS:
            apps_q.upsert_mobile_app(
                conn,
                realm_id=realm_id,
                name=name,
                os=os_type,
                app_id=app_id,
                url=url,
                sha=sha,
            )

        admin_key = _api_key(conn, secrets, realm_id, "Demo admin key", KeyType.ADMIN)
        device_key = _api_key(
            conn, secrets, realm_id, "Demo device key", KeyType.DEVICE
        )
        stats_key = _api_key(conn, secrets, realm_id, "Demo stats key", KeyType.STATS)

        sa_password, ra_password = _password(), _password()
        sa_id = users_q.upsert_user(
            conn, email=SYSTEM_ADMIN_EMAIL, name="System admin", system_admin=True
        )
        users_q.set_password_hash(conn, sa_id, hash_password(sa_password))
        users_q.mark_email_verified(conn, sa_id)
        ra_id = users_q.upsert_user(
            conn, email=REALM_ADMIN_EMAIL, name="Demo realm admin", system_admin=False
        )
        users_q.set_password_hash(conn, ra_id, hash_password(ra_password))
        users_q.mark_email_verified(conn, ra_id)
        users_q.upsert_membership(
            conn, realm_id=realm_id, user_id=ra_id, permissions=int(LEGACY_REALM_ADMIN)
        )
    return DemoCredentials(
        realm_id=realm_id,
        realm_name=DEMO_REALM,
        region_code=DEMO_REGION,
        admin_api_key=admin_key,
        device_api_key=device_key,
        stats_api_key=stats_key,
        system_admin={"email": SYSTEM_ADMIN_EMAIL, "password": sa_password},
        realm_admin={"email": REALM_ADMIN_EMAIL, "password": ra_password},
    )


def set_password(conn: psycopg.Connection, email: str, password: str) -> bool:
    """Set a user's password (CLI `encv admin set-password`); False if no such user."""
    with conn.transaction():
        user = users_q.get_user_by_email(conn, email)
        if user is None:
            return False
        users_q.set_password_hash(conn, user.id, hash_password(password))
    return True
