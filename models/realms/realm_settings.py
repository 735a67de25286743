"""Save realm settings: validate, write row + configs + audit in one transaction.

The realm row is cached by every API surface (``models.realms.lookup``); each
save drops that entry so the next request sees the change. With Redis the
cache is shared by every process; with the in-process cache another process
may serve the old row for at most ``REALM_CACHE_SECONDS`` (five minutes, the
bound the original documents with its "can take up to 5 minutes" flash).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import psycopg

from db.cache import Cache
from db.crypto import Envelope
from db.pool import ConnectionSource
from db.queries.codes import sms as sms_q
from db.queries.realms import settings as q
from db.rows import Realm
from models import audit
from models.accounts.mail import SMTP_PASSWORD_AAD
from models.codes.quota import QuotaAdmin
from models.codes.sms import AUTH_TOKEN_AAD
from models.realms import settings as rules
from models.realms import sms_templates
from models.realms.abuse import AbuseView, abuse_view
from models.realms.forms import SettingsInvalid
from models.realms.lookup import forget_realm, realm_by_id
from models.realms.settings_audit import REDACTED, changed, entries

WEBHOOK_SECRET_AAD = "realms.user_report_webhook_secret"
ENX_CODE_SHAPE = {
    "code_length": 8,
    "code_duration": 900,
    "long_code_length": 16,
    "long_code_duration": 86400,
    "allowed_test_types": 2,
}


@dataclass
class SaveResult:
    """What a save did, for the flash messages."""

    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    burst: int = 0


class RealmSettings:
    """Use cases of ``/realm/settings`` and the realm-level key switches."""

    def __init__(
        self,
        db: ConnectionSource,
        envelope: Envelope,
        cache: Cache,
        quota: QuotaAdmin | None,
        *,
        emailer: bool = False,
        enx_domain: str = "",
    ):
        self._db = db
        self._envelope = envelope
        self._cache = cache
        self._quota = quota
        self._emailer = emailer
        self._enx_domain = enx_domain

    def context(self, conn: psycopg.Connection, realm: Realm) -> rules.Context:
        """Return stored secrets (decrypted) and features a tab checks against."""
        sms = sms_q.get_realm_sms_config(conn, realm_id=realm.id)
        email = q.get_realm_email_config(conn, realm_id=realm.id)
        return rules.Context(
            sms_token=self._open(sms.twilio_auth_token if sms else "", AUTH_TOKEN_AAD),
            smtp_password=self._open(
                email.smtp_password if email else "", SMTP_PASSWORD_AAD
            ),
            emailer=self._emailer,
            enx_domain=self._enx_domain,
        )

    def view(self, realm_id: int, today: dt.date) -> SettingsView:
        """Read the realm (uncached) and its configurations for the page."""
        with self._db.connection() as conn:
            realm = realm_by_id(conn, realm_id)
            ctx = self.context(conn, realm)
            return SettingsView(
                realm=realm,
                sms=sms_q.get_realm_sms_config(conn, realm_id=realm_id),
                has_sms_token=bool(ctx.sms_token),
                email=q.get_realm_email_config(conn, realm_id=realm_id),
                has_smtp_password=bool(ctx.smtp_password),
                key_server=q.get_key_server_stats(conn, realm_id=realm_id),
                from_numbers=q.list_sms_from_numbers(conn),
                emailer=ctx.emailer,
                abuse=(
                    abuse_view(conn, realm, self._quota, today) if self._quota else None
                ),
            )

    def _open(self, sealed: str, aad: str) -> str:
        return self._envelope.decrypt_text(sealed, aad) if sealed else ""

    def save_tab(
        self, realm_id: int, tab: str, form: dict, actor: audit.Actor
    ) -> SaveResult:
        """Validate one tab and write everything it changes, or nothing."""
        with self._db.connection() as conn, conn.transaction():
            realm = q.lock_realm(conn, realm_id)
            ctx = self.context(conn, realm)
            change = rules.parse(tab, form, realm, ctx)
            self._check_unique(conn, realm, change.columns)
            self._seal_webhook_secret(realm, change.columns)
            result = SaveResult(warnings=list(change.warnings))
            result.changed = self._write_columns(conn, realm, change.columns, actor)
            if change.sms is not None:
                self._write_sms(conn, realm, change.sms, ctx, actor, result)
            if change.email is not None:
                self._write_email(conn, realm, change.email, ctx, actor, result)
            if change.key_server is not None or change.key_server_off:
                self._write_key_server(conn, realm, change, actor, result)
            self._abuse_prevention(conn, realm, change, actor, result)
        forget_realm(self._cache, realm_id)
        return result

    def set_express(self, realm_id: int, on: bool, actor: audit.Actor) -> None:
        """Enrol the realm in EN Express or leave it (§5.2)."""
        with self._db.connection() as conn, conn.transaction():
            realm = q.lock_realm(conn, realm_id)
            if bool(realm.enable_en_express) == on:
                state = "already" if on else "not"
                raise SettingsInvalid(
                    {
                        "enable_en_express": (
                            f"{realm.name} is {state} enrolled in EN Express"
                        )
                    }
                )
            default, alternates = sms_templates.for_mode(
                realm.alternate_sms_templates, on
            )
            columns: dict[str, Any] = {
                "enable_en_express": on,
                "sms_text_template": default,
                "alternate_sms_templates": alternates,
            }
            if on:
                if not realm.region_code:
                    raise SettingsInvalid(
                        {"region_code": "is required when EN Express is enabled"}
                    )
                # ENX is confirmed-only: this also clears the user-report bit.
                columns.update(ENX_CODE_SHAPE)
            self._write_columns(conn, realm, columns, actor)
        forget_realm(self._cache, realm_id)

    def set_columns(
        self, realm_id: int, columns: dict[str, Any], actor: audit.Actor
    ) -> list[str]:
        """Write already-validated realm columns with their audit entries."""
        with self._db.connection() as conn, conn.transaction():
            realm = q.lock_realm(conn, realm_id)
            done = self._write_columns(conn, realm, columns, actor)
        forget_realm(self._cache, realm_id)
        return done

    def _write_columns(self, conn, realm, columns, actor) -> list[str]:
        diffs = changed(realm, columns)
        for action, diff in entries(realm, diffs):
            _audit(conn, realm, actor, action, diff)
        if diffs:
            q.update_settings(conn, realm.id, diffs)
        return sorted(diffs)

    @staticmethod
    def _check_unique(conn, realm: Realm, columns: dict) -> None:
        errors = {}
        for column in ("name", "region_code"):
            value = columns.get(column)
            if value and q.name_taken(
                conn, realm_id=realm.id, column=column, value=value
            ):
                errors[column] = "must be unique"
        if errors:
            raise SettingsInvalid(errors)

    def _seal_webhook_secret(self, realm: Realm, columns: dict) -> None:
        value = columns.get("user_report_webhook_secret")
        if value and value != realm.user_report_webhook_secret:
            columns["user_report_webhook_secret"] = self._envelope.encrypt_text(
                value, WEBHOOK_SECRET_AAD
            )

    def _write_sms(self, conn, realm, creds, ctx, actor, result) -> None:
        stored = sms_q.get_realm_sms_config(conn, realm_id=realm.id)
        values = creds.values
        if creds.blank:
            if stored is not None:
                q.delete_realm_sms_config(conn, realm_id=realm.id)
                _audit(conn, realm, actor, "deleted SMS configuration", None)
                result.changed.append("sms_config")
            return
        before = {
            "twilio_account_sid": stored.twilio_account_sid if stored else "",
            "twilio_auth_token": ctx.sms_token,
            "twilio_from_number": stored.twilio_from_number if stored else "",
            "twilio_user_report_from_number": (
                stored.twilio_user_report_from_number if stored else ""
            ),
        }
        diff = _config_diff(before, values, secret="twilio_auth_token")  # noqa: S106
        if not diff:
            return
        sms_q.upsert_realm_sms_config(
            conn,
            realm_id=realm.id,
            account_sid=values["twilio_account_sid"],
            sealed_auth_token=self._envelope.encrypt_text(
                values["twilio_auth_token"], AUTH_TOKEN_AAD
            ),
            from_number=values["twilio_from_number"],
            user_report_from_number=values["twilio_user_report_from_number"],
        )
        _audit(conn, realm, actor, "updated SMS configuration", diff)
        result.changed.append("sms_config")

    def _write_email(self, conn, realm, creds, ctx, actor, result) -> None:
        stored = q.get_realm_email_config(conn, realm_id=realm.id)
        values = creds.values
        if creds.blank or not values["smtp_account"]:
            if stored is not None:
                q.delete_realm_email_config(conn, realm_id=realm.id)
                _audit(conn, realm, actor, "deleted email configuration", None)
                result.changed.append("email_config")
            return
        before = {
            "smtp_account": stored.smtp_account if stored else "",
            "smtp_password": ctx.smtp_password,
            "smtp_host": stored.smtp_host if stored else "",
            "smtp_port": stored.smtp_port if stored else "",
        }
        diff = _config_diff(before, values, secret="smtp_password")  # noqa: S106
        if not diff:
            return
        q.upsert_realm_email_config(
            conn,
            realm_id=realm.id,
            account=values["smtp_account"],
            sealed_password=self._envelope.encrypt_text(
                values["smtp_password"], SMTP_PASSWORD_AAD
            ),
            host=values["smtp_host"],
            port=values["smtp_port"],
        )
        _audit(conn, realm, actor, "updated email configuration", diff)
        result.changed.append("email_config")

    @staticmethod
    def _write_key_server(conn, realm, change, actor, result) -> None:
        stored = q.get_key_server_stats(conn, realm_id=realm.id)
        if change.key_server_off:
            if stored is not None:
                q.delete_key_server_stats(conn, realm_id=realm.id)
                _audit(conn, realm, actor, "disabled key server stats", None)
                result.changed.append("key_server_stats")
            return
        if stored == change.key_server:
            return
        url, audience = change.key_server
        q.upsert_key_server_stats(conn, realm_id=realm.id, url=url, audience=audience)
        _audit(
            conn,
            realm,
            actor,
            "updated key server stats",
            audit.change(stored, change.key_server) if stored else None,
        )
        result.changed.append("key_server_stats")

    def _abuse_prevention(self, conn, realm, change, actor, result) -> None:
        if self._quota is None:
            return
        turned_on = change.columns.get("abuse_prevention_enabled") and not (
            realm.abuse_prevention_enabled
        )
        if turned_on:
            self._quota.seed(conn, realm.id)
        if change.burst > 0:
            self._quota.add(conn, realm.id, change.burst)
            _audit(conn, realm, actor, f"added {change.burst} quota capacity", None)
            result.burst = change.burst


def _audit(conn, realm: Realm, actor: audit.Actor, action: str, diff: str | None):
    audit.record(
        conn,
        realm_id=realm.id,
        actor=actor,
        action=action,
        target_id=f"realms:{realm.id}",
        target_display=realm.name,
        diff=diff,
    )


def _config_diff(before: dict, after: dict, *, secret: str) -> str:
    lines = []
    for name, new in after.items():
        old = before.get(name, "")
        if old == new:
            continue
        if name == secret:
            old, new = REDACTED if old else "", REDACTED
        lines.append(f"{name}: -{old} +{new}")
    return "\n".join(lines) + "\n" if lines else ""


@dataclass(frozen=True)
class SettingsView:
    """Everything the settings page reads besides the session."""

    realm: Realm
    sms: Any  # the realm's own SMS config row (token sealed) or None
    has_sms_token: bool
    email: Any  # the realm's own SMTP config row (password sealed) or None
    has_smtp_password: bool
    key_server: tuple[str, str] | None
    from_numbers: list[tuple[int, str, str]]
    emailer: bool
    abuse: AbuseView | None
