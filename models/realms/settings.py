"""Parse and validate one realm-settings tab into a change set (ui-and-data §5.2, §6).

Pure functions: each ``parse_<tab>`` reads the posted form against the
current realm row and returns a :class:`TabChange`, or raises
:class:`SettingsInvalid` with every field error. Nothing here writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from email.utils import parseaddr
from typing import Any

from db.rows import Realm
from models.realms import sms_templates
from models.realms.forms import (
    SettingsInvalid,
    boolean,
    choice,
    has,
    parse_cidrs,
    secret,
    split_list,
    text,
)

TABS = ("general", "codes", "sms", "email", "security", "abuse_prevention")
USER_REPORT_BIT = 16
TEST_TYPE_CHOICES = (2, 6, 14)
MODES = (0, 1, 2)  # prompt, required, optional
GRACE_DAYS = (0, 1, 7, 30)
ROTATION_DAYS = (0, 30, 60, 90, 365)
WARNING_DAYS = (0, 1, 3, 5, 7, 30)
MAX_CONTACTS = 10
_FROM_NUMBER = re.compile(r"^(MG[0-9A-Za-z]{32}|\+[0-9]{6,15}|[0-9]{1,6})$")
_COUNTRY = re.compile(r"^[a-z]{2}$")
EMAIL_PLACEHOLDERS = {
    "email_invite_template": "[invitelink]",
    "email_password_reset_template": "[passwordresetlink]",
    "email_verify_template": "[verifylink]",
}


@dataclass(frozen=True)
class Credentials:
    """A provider configuration as the form left it (secret in clear)."""

    values: dict[str, str]

    @property
    def blank(self) -> bool:
        """Say whether every credential is empty (the row is then deleted)."""
        return not any(self.values.values())


@dataclass
class TabChange:
    """What saving one tab changes."""

    columns: dict[str, Any] = field(default_factory=dict)
    sms: Credentials | None = None  # None: the realm's SMS row is left alone
    email: Credentials | None = None
    key_server: tuple[str, str] | None = None  # (url, audience) override
    key_server_off: bool = False
    burst: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a tab needs besides the realm row (stored secrets, features)."""

    sms_token: str = ""  # the stored Twilio auth token, decrypted
    smtp_password: str = ""
    emailer: bool = False
    enx_domain: str = ""


def parse(tab: str, form: dict, realm: Realm, ctx: Context) -> TabChange:
    """Dispatch to the tab's parser; unknown tabs are refused."""
    parsers = {
        "general": parse_general,
        "codes": parse_codes,
        "sms": parse_sms,
        "email": parse_email,
        "security": parse_security,
        "abuse_prevention": parse_abuse_prevention,
    }
    if tab not in parsers:
        raise SettingsInvalid({"tab": f"unknown settings tab {tab!r}"})
    return parsers[tab](form, realm, ctx)


def _done(change: TabChange, errors: dict) -> TabChange:
    if errors:
        raise SettingsInvalid(errors)
    return change


def parse_general(form: dict, realm: Realm, ctx: Context) -> TabChange:
    """Name, region, welcome message, contacts and key-server stats."""
    errors: dict[str, str] = {}
    change = TabChange()
    name = text(form, "name")
    if not name:
        errors["name"] = "cannot be blank"
    elif name.lower().startswith("e2e-") and not realm.is_e2e:
        errors["name"] = "cannot begin with e2e-"
    region = text(form, "region_code").upper()
    if len(region) > 10:
        errors["region_code"] = "cannot be more than 10 characters"
    elif not region and realm.enable_en_express:
        errors["region_code"] = "is required when EN Express is enabled"
    elif region.startswith("E2E-") and not realm.is_e2e:
        errors["region_code"] = "cannot begin with E2E-"
    change.columns.update(
        name=name,
        region_code=region or None,
        welcome_message=text(form, "welcome_message") or None,
    )
    if ctx.emailer and has(form, "contact_email_addresses"):
        contacts = sorted(set(split_list(text(form, "contact_email_addresses"))))
        if len(contacts) > MAX_CONTACTS:
            errors["contact_email_addresses"] = "must have less than 10 entries"
        for address in contacts:
            if "@" not in parseaddr(address)[1]:
                errors["contact_email_addresses"] = f"{address} is not a valid email"
        change.columns["contact_email_addresses"] = contacts
    if boolean(form, "allow_key_server_stats"):
        url = text(form, "key_server_url")
        if url and not url.startswith("https://"):
            errors["key_server_url"] = "must begin with https://"
        change.key_server = (url, text(form, "key_server_audience"))
    else:
        change.key_server_off = True
    return _done(change, errors)


def parse_codes(form: dict, realm: Realm, ctx: Context) -> TabChange:
    """Bulk upload, test types, user report, dates and code shapes."""
    errors: dict[str, str] = {}
    cols: dict[str, Any] = {
        "allow_bulk_upload": boolean(form, "allow_bulk"),
        "require_date": boolean(form, "require_date"),
    }
    enx = bool(realm.enable_en_express)
    base = 2 if enx else choice(form, "allowed_test_types", TEST_TYPE_CHOICES, errors)
    user_report = boolean(form, "allow_user_report")
    if base is not None:
        cols["allowed_test_types"] = base | (USER_REPORT_BIT if user_report else 0)
    for flag in ("allow_user_report_web_view", "allow_admin_user_report"):
        cols[flag] = boolean(form, flag)
        if cols[flag] and not user_report:
            errors[flag] = "cannot be enabled unless user report is enabled"
    # Only touch the webhook when it was rendered (fixing the original, which
    # cleared a stored URL whenever the hidden fields were absent).
    if realm.allow_generated_sms and has(form, "user_report_webhook_url"):
        url = text(form, "user_report_webhook_url")
        stored = realm.user_report_webhook_secret or ""
        webhook_secret = secret(form, "user_report_webhook_secret", stored)
        if url and not url.startswith("https://"):
            errors["user_report_webhook_url"] = "must begin with https://"
        if url and len(webhook_secret) < 12:
            errors["user_report_webhook_secret"] = "must be at least 12 characters"
        cols["user_report_webhook_url"] = url or None
        # The service seals a changed secret; the stored (sealed) one passes through.
        cols["user_report_webhook_secret"] = webhook_secret or None
    if not enx:
        cols["code_length"] = choice(form, "code_length", (6, 7, 8), errors)
        cols["long_code_length"] = choice(
            form, "long_code_length", tuple(range(12, 17)), errors
        )
        hours = choice(form, "long_code_duration", tuple(range(1, 25)), errors)
        cols["long_code_duration"] = hours * 3600 if hours else None
    if not enx or realm.enx_code_expiration_configurable:
        minutes = choice(
            form,
            "code_duration",
            tuple(range(5, realm.short_code_max_minutes + 1)),
            errors,
        )
        cols["code_duration"] = minutes * 60 if minutes else None
    if user_report:
        templates = realm.alternate_sms_templates or {}
        added = sms_templates.with_user_report(templates, enx)
        if added != templates:
            cols["alternate_sms_templates"] = added
    change = TabChange(columns={k: v for k, v in cols.items() if v is not None})
    return _done(change, errors)


def parse_sms(form: dict, realm: Realm, ctx: Context) -> TabChange:
    """Provider credentials or the system config, country and templates."""
    errors: dict[str, str] = {}
    change = TabChange(
        warnings=[
            "It can take up to 5 minutes for the new SMS configuration "
            "to be fully propagated."
        ]
    )
    cols = change.columns
    use_system = boolean(form, "use_system_sms_config")
    if use_system and not realm.can_use_system_sms_config:
        errors["use_system_sms_config"] = "is not allowed on this realm"
    cols["use_system_sms_config"] = use_system
    number = text(form, "sms_from_number_id")
    cols["sms_from_number_id"] = (
        int(number) if number.isdigit() and number != "0" else None
    )
    if use_system and cols["sms_from_number_id"] is None:
        errors["sms_from_number_id"] = "is required to use the system config"
    if not use_system:
        creds = {
            "twilio_account_sid": text(form, "twilio_account_sid"),
            "twilio_auth_token": secret(form, "twilio_auth_token", ctx.sms_token),
            "twilio_from_number": text(form, "twilio_from_number"),
            "twilio_user_report_from_number": text(
                form, "twilio_user_report_from_number"
            ),
        }
        _check_sms_credentials(creds, errors)
        change.sms = Credentials(creds)
    user_report = bool(realm.allowed_test_types & USER_REPORT_BIT)
    country = text(form, "sms_country").lower()
    if country and not _COUNTRY.match(country):
        errors["sms_country"] = "must be a two-letter country code"
    elif not country and user_report:
        errors["sms_country"] = (
            "A default SMS Country must be set when user report is enabled"
        )
    cols["sms_country"] = country or None
    default, alternates, template_errors = sms_templates.parse_pairs(form)
    errors.update(template_errors)
    if user_report:
        alternates = sms_templates.with_user_report(
            alternates, bool(realm.enable_en_express)
        )
    _check_templates(realm, ctx, default, alternates, errors)
    cols["sms_text_template"] = default
    cols["alternate_sms_templates"] = alternates or None
    return _done(change, errors)


def _check_sms_credentials(creds: dict[str, str], errors: dict) -> None:
    if bool(creds["twilio_account_sid"]) != bool(creds["twilio_auth_token"]):
        errors["twilio_account_sid"] = (
            "account SID and auth token must both be set or both be blank"
        )
    if not creds["twilio_account_sid"]:
        return
    for name in ("twilio_from_number", "twilio_user_report_from_number"):
        value = creds[name]
        if name == "twilio_from_number" and not value:
            errors[name] = "is required"
        elif value and not _FROM_NUMBER.match(value):
            errors[name] = (
                "must be a messaging service SID, an E.164 number or a short code"
            )


def _check_templates(realm, ctx, default, alternates, errors) -> None:
    shape = {
        "enx": bool(realm.enable_en_express),
        "code_length": realm.code_length,
        "long_code_length": realm.long_code_length,
        "short_seconds": realm.code_duration,
        "long_seconds": realm.long_code_duration,
        "region": realm.region_code or "",
        "enx_domain": ctx.enx_domain,
    }
    problem = sms_templates.check(default, label="", **shape)
    if problem:
        errors["sms_text_template_0"] = problem
    for label, body in alternates.items():
        problem = sms_templates.check(body, label=label, **shape)
        if problem:
            errors[f"template:{label}"] = f"{label}: {problem}"


def parse_email(form: dict, realm: Realm, ctx: Context) -> TabChange:
    """SMTP credentials or the system config, and the three mail templates."""
    errors: dict[str, str] = {}
    change = TabChange(
        warnings=[
            "It can take up to 5 minutes for the new email configuration "
            "to be fully propagated."
        ]
    )
    use_system = boolean(form, "use_system_email_config")
    if use_system and not realm.can_use_system_email_config:
        errors["use_system_email_config"] = "is not allowed on this realm"
    change.columns["use_system_email_config"] = use_system
    if not use_system:
        creds = {
            "smtp_account": text(form, "smtp_account"),
            "smtp_password": secret(form, "smtp_password", ctx.smtp_password),
            "smtp_host": text(form, "smtp_host"),
            "smtp_port": text(form, "smtp_port") or "587",
        }
        required = ("smtp_account", "smtp_password", "smtp_host")
        if any(creds[k] for k in required) and not all(creds[k] for k in required):
            errors["smtp_account"] = (
                "account, password and host must all be set or all be blank"
            )
        if not creds["smtp_port"].isdigit() or not 0 < int(creds["smtp_port"]) < 65536:
            errors["smtp_port"] = "must be a port number"
        if not any(creds[k] for k in required):
            creds = {k: "" for k in creds}
        change.email = Credentials(creds)
    for name, placeholder in EMAIL_PLACEHOLDERS.items():
        form_name = "password_reset_template" if "reset" in name else name
        body = text(form, form_name)
        if body and placeholder not in body:
            errors[form_name] = f'must contain "{placeholder}"'
        change.columns[name] = body or None
    return _done(change, errors)


def parse_security(form: dict, realm: Realm, ctx: Context) -> TabChange:
    """Verification and MFA modes, password rotation and firewall CIDRs."""
    errors: dict[str, str] = {}
    cols: dict[str, Any] = {
        "email_verified_mode": choice(form, "email_verified_mode", MODES, errors),
        "mfa_mode": choice(form, "mfa_mode", MODES, errors),
        # Members may sign in with a discoverable passkey alone (issue 15).
        "allow_passkey_signin": boolean(form, "allow_passkey_signin"),
    }
    # A disabled select is not submitted: the grace period is then 0.
    grace = (
        choice(form, "mfa_grace_period", GRACE_DAYS, errors)
        if has(form, "mfa_grace_period")
        else 0
    )
    cols["mfa_required_grace_period"] = (
        (grace or 0) * 86400 if cols["mfa_mode"] == 1 else 0
    )
    period = choice(form, "password_rotation_period_days", ROTATION_DAYS, errors)
    warn = choice(form, "password_rotation_warning_days", WARNING_DAYS, errors)
    if period is not None and warn is not None and warn > period:
        errors["password_rotation_warning_days"] = (
            "may not be longer than the password rotation period"
        )
    cols["password_rotation_period_days"] = period
    cols["password_rotation_warning_days"] = warn
    for surface in ("adminapi", "apiserver", "server"):
        name = f"allowed_cidrs_{surface}"
        try:
            cols[name] = parse_cidrs(text(form, name)) or None
        except ValueError as ex:
            errors.setdefault(name, str(ex))
    change = TabChange(columns={k: v for k, v in cols.items() if k not in errors})
    return _done(change, errors)


def parse_abuse_prevention(form: dict, realm: Realm, ctx: Context) -> TabChange:
    """Quota on/off, limit factor (3 decimals) and a one-off burst."""
    errors: dict[str, str] = {}
    change = TabChange()
    change.columns["abuse_prevention_enabled"] = boolean(
        form, "abuse_prevention_enabled"
    )
    raw = text(form, "abuse_prevention_limit_factor", "1.0")
    try:
        factor = Decimal(raw).quantize(Decimal("0.001"))
        if not Decimal(0) < factor < Decimal(1000):
            raise InvalidOperation
        change.columns["abuse_prevention_limit_factor"] = factor
    except (InvalidOperation, ValueError):
        errors["abuse_prevention_limit_factor"] = "must be a number between 0 and 1000"
    burst = text(form, "abuse_prevention_burst", "0") or "0"
    if not burst.isdigit():
        errors["abuse_prevention_burst"] = "must be a whole number, 0 or more"
    else:
        change.burst = int(burst)
    return _done(change, errors)
