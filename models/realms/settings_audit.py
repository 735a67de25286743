"""Audit wording of realm changes: one entry per changed field (ui-and-data §6.1).

Diffs are ``-old``/``+new`` lines; secrets never appear, only that they
changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from db.rows import Realm
from models import audit

REDACTED = "(redacted)"
_MODES = {0: "prompt", 1: "required", 2: "optional"}
_TYPES = (("confirmed", 2), ("likely", 4), ("negative", 8), ("user-report", 16))


def test_types(bits: int) -> str:
    """Return ``"confirmed, likely, ..."`` for a test-type bitmask."""
    return ", ".join(name for name, bit in _TYPES if bits & bit)


def _mode(value: int) -> str:
    return _MODES.get(value, str(value))


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _secret(value: Any) -> str:
    return REDACTED if value else ""


# column -> (action text, formatter)
LABELS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "name": ("updated realm name", _plain),
    "region_code": ("updated region code", _plain),
    "welcome_message": ("updated welcome message", _plain),
    "contact_email_addresses": ("updated contact email addresses", _plain),
    "allow_bulk_upload": ("updated allow bulk upload", _plain),
    "code_length": ("updated code length", _plain),
    "code_duration": ("updated code duration", _plain),
    "long_code_length": ("updated long code length", _plain),
    "long_code_duration": ("updated long code duration", _plain),
    "allowed_test_types": ("updated allowed test types", test_types),
    "require_date": ("updated require date", _plain),
    "allow_user_report_web_view": ("updated allow user report web view", _plain),
    "allow_admin_user_report": ("updated allow admin user report", _plain),
    "user_report_webhook_url": ("updated user report webhook URL", _plain),
    "user_report_webhook_secret": ("updated user report webhook secret", _secret),
    "sms_text_template": ("updated SMS template", _plain),
    "alternate_sms_templates": ("updated alternate SMS templates", _plain),
    "sms_country": ("updated SMS country", _plain),
    "use_system_sms_config": ("updated use system SMS config", _plain),
    "sms_from_number_id": ("updated SMS from number", _plain),
    "use_authenticated_sms": ("updated use authenticated SMS", _plain),
    "email_invite_template": ("updated email invite template", _plain),
    "email_password_reset_template": ("updated email password reset template", _plain),
    "email_verify_template": ("updated email verify template", _plain),
    "use_system_email_config": ("updated use system email config", _plain),
    "mfa_mode": ("updated MFA mode", _mode),
    "mfa_required_grace_period": ("updated MFA required grace period", _plain),
    "email_verified_mode": ("updated email verified mode", _mode),
    "password_rotation_period_days": ("updated password rotation period", _plain),
    "password_rotation_warning_days": ("updated password rotation warning", _plain),
    "allowed_cidrs_adminapi": ("updated adminapi allowed cidrs", _plain),
    "allowed_cidrs_apiserver": ("updated apiserver allowed cidrs", _plain),
    "allowed_cidrs_server": ("updated server allowed cidrs", _plain),
    "use_realm_certificate_key": ("updated use realm certificate key", _plain),
    "certificate_issuer": ("updated certificate issuer", _plain),
    "certificate_audience": ("updated certificate audience", _plain),
    "certificate_duration": ("updated certificate duration", _plain),
    "auto_rotate_certificate_key": ("updated auto rotate certificate key", _plain),
    "enable_en_express": ("updated enable ENX", _plain),
    "abuse_prevention_enabled": ("updated abuse prevention enabled", _plain),
    "abuse_prevention_limit_factor": (
        "updated abuse prevention limit factor",
        _plain,
    ),
}


def _list_diff(old: list | None, new: list | None) -> str:
    old_set, new_set = set(old or []), set(new or [])
    lines = [f"-{item}" for item in sorted(old_set - new_set)]
    lines += [f"+{item}" for item in sorted(new_set - old_set)]
    return "\n".join(lines) + "\n"


def changed(realm: Realm, columns: dict[str, Any]) -> dict[str, Any]:
    """Return only the columns whose value differs from the realm row."""
    out = {}
    for name, value in columns.items():
        old = getattr(realm, name)
        if isinstance(old, list) or isinstance(value, list):
            if sorted(old or []) != sorted(value or []):
                out[name] = value
        elif (old or None) != (value or None) or type(old) is bool and old != value:
            out[name] = value
    return out


def entries(realm: Realm, columns: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (action, diff) for every changed column, in a stable order."""
    out = []
    for name in sorted(columns):
        action, fmt = LABELS.get(name, (f"updated {name.replace('_', ' ')}", _plain))
        old, new = getattr(realm, name), columns[name]
        if name.startswith("allowed_cidrs_") or name == "contact_email_addresses":
            diff = _list_diff(old, new)
        elif name == "alternate_sms_templates":
            diff = _list_diff(
                [f"{k}: {v}" for k, v in (old or {}).items()],
                [f"{k}: {v}" for k, v in (new or {}).items()],
            )
        else:
            diff = audit.change(fmt(old), fmt(new))
        out.append((action, diff))
    return out
