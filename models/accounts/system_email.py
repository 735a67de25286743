"""The system SMTP config used for system-admin invitations and by realms
that are allowed to use it (§5.10). The password is sealed under the KEK."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from db.crypto import Envelope
from db.queries.accounts import auth as auth_q
from db.queries.accounts import system_email as q
from models import audit
from models.accounts.mail import seal_password
from models.errors import InvalidInput

SYSTEM_REALM = 0
DEFAULT_PORT = "587"


@dataclass(frozen=True)
class SystemEmail:
    """What the settings page shows: never the password itself."""

    account: str
    host: str
    port: str
    has_password: bool


def load(conn: psycopg.Connection) -> SystemEmail:
    """Return the system SMTP config as the page shows it."""
    row = auth_q.get_email_config(conn, None, True)
    if row is None:
        return SystemEmail("", "", DEFAULT_PORT, False)
    return SystemEmail(
        row.smtp_account, row.smtp_host, row.smtp_port, bool(row.smtp_password)
    )


def save(
    conn: psycopg.Connection,
    envelope: Envelope,
    *,
    account: str,
    password: str,
    host: str,
    port: str,
    actor: audit.Actor,
) -> None:
    """Store the system SMTP config; blank account and host delete it.

    A blank password keeps the stored one. Unlike the original a password is
    optional: local relays often accept mail without authentication.
    """
    account, host, port = account.strip(), host.strip(), (port.strip() or DEFAULT_PORT)
    with conn.transaction():
        current = auth_q.get_email_config(conn, None, True)
        if not account and not host:
            if password:
                raise InvalidInput("SMTP account and host are required with a password")
            if q.delete_system_email_config(conn):
                _audit(conn, actor, "deleted system email config", None)
            return
        if not account or not host:
            raise InvalidInput("SMTP account and host must both be set")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise InvalidInput("SMTP port must be a number between 1 and 65535")
        sealed = (
            seal_password(envelope, password)
            if password
            else (current.smtp_password if current else "")
        )
        q.upsert_system_email_config(
            conn, account=account, host=host, port=port, sealed_password=sealed
        )
        before = (
            (current.smtp_account, current.smtp_host, current.smtp_port)
            if current
            else ("", "", "")
        )
        after = (account, host, port)
        diff = "\n".join(
            f"-{b}\n+{a}" for b, a in zip(before, after, strict=True) if a != b
        )
        if diff or password:
            _audit(conn, actor, "updated system email config", diff or None)


def _audit(conn, actor, action: str, diff: str | None) -> None:
    audit.record(
        conn,
        realm_id=SYSTEM_REALM,
        actor=actor,
        action=action,
        target_id="email_configs:system",
        target_display="System email config",
        diff=diff,
    )
