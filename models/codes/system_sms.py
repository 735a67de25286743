"""The system SMS (Twilio) config that realms may be allowed to use (§5.10)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg

from db.crypto import Envelope
from db.queries.codes import sms as sms_q
from db.queries.codes import system_sms as q
from models import audit
from models.codes.sms import seal_auth_token
from models.errors import InvalidInput

SYSTEM_REALM = 0
# A Twilio messaging service, an E.164 number or a short code (§7 sms_configs).
FROM_NUMBER_RE = re.compile(r"MG[0-9A-Za-z]{32}|\+[0-9]{2,15}|[0-9]{1,6}")


@dataclass(frozen=True)
class SystemSms:
    """What the settings page shows: never the auth token itself."""

    account_sid: str
    has_auth_token: bool
    numbers: list[q.FromNumber]


def load(conn: psycopg.Connection) -> SystemSms:
    """Return the system SMS config as the page shows it."""
    row = sms_q.get_system_sms_config(conn)
    return SystemSms(
        row.twilio_account_sid if row else "",
        bool(row and row.twilio_auth_token),
        q.list_from_numbers(conn),
    )


def parse_numbers(form: dict[str, str]) -> list[tuple[int | None, str, str]]:
    """Read ``twilio_from_numbers.<i>.id|label|value``; drop incomplete rows."""
    indexes = sorted(
        {
            int(k.split(".")[1])
            for k in form
            if re.fullmatch(r"twilio_from_numbers\.\d+\.\w+", k)
        }
    )
    out = []
    for i in indexes:
        label = form.get(f"twilio_from_numbers.{i}.label", "").strip()
        value = form.get(f"twilio_from_numbers.{i}.value", "").strip()
        raw_id = form.get(f"twilio_from_numbers.{i}.id", "").strip()
        if not label or not value:
            continue
        if not FROM_NUMBER_RE.fullmatch(value):
            raise InvalidInput(
                f"sender {value!r} must be a messaging service SID, +E.164 number"
                " or short code"
            )
        out.append((int(raw_id) if raw_id.isdigit() else None, label, value))
    return out


def save(
    conn: psycopg.Connection,
    envelope: Envelope,
    *,
    account_sid: str,
    auth_token: str,
    numbers: list[tuple[int | None, str, str]],
    actor: audit.Actor,
) -> None:
    """Store the system config; a blank SID deletes it. A blank token keeps it."""
    account_sid, auth_token = account_sid.strip(), auth_token.strip()
    with conn.transaction():
        current = sms_q.get_system_sms_config(conn)
        if not account_sid:
            if auth_token:
                raise InvalidInput("account SID and auth token must both be set")
            if q.delete_system_sms_config(conn):
                _audit(conn, actor, "deleted system SMS config", "")
        else:
            sealed = seal_auth_token(envelope, auth_token) if auth_token else None
            if sealed is None:
                if current is None or not current.twilio_auth_token:
                    raise InvalidInput("account SID and auth token must both be set")
                sealed = current.twilio_auth_token
            q.upsert_system_sms_config(
                conn, account_sid=account_sid, sealed_token=sealed
            )
            before = current.twilio_account_sid if current else ""
            diff = f"-{before}\n+{account_sid}" if before != account_sid else None
            if diff or auth_token:
                _audit(conn, actor, "updated system SMS config", diff)
        old = [(n.label, n.value) for n in q.list_from_numbers(conn)]
        try:
            with conn.transaction():
                q.replace_from_numbers(conn, numbers)
        except psycopg.errors.UniqueViolation:
            raise InvalidInput("sender labels and numbers must be unique") from None
        new = [(n[1], n[2]) for n in numbers]
        if sorted(old) != sorted(new):
            _audit(
                conn,
                actor,
                "updated system SMS sender numbers",
                "\n".join(
                    [f"-{k}: {v}" for k, v in old] + [f"+{k}: {v}" for k, v in new]
                ),
            )


def _audit(conn, actor, action: str, diff: str | None) -> None:
    audit.record(
        conn,
        realm_id=SYSTEM_REALM,
        actor=actor,
        action=action,
        target_id="sms_configs:system",
        target_display="System SMS config",
        diff=diff or None,
    )
