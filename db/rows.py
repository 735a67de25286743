"""Typed rows returned by queries (frozen dataclasses for ``class_row``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal


@dataclass(frozen=True)
class Realm:
    """A realm (public health authority) with every setting (ui-and-data §6.1)."""

    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    name: str
    region_code: str | None
    is_e2e: bool
    maintenance_mode: bool
    welcome_message: str | None
    contact_email_addresses: list[str]
    allow_bulk_upload: bool
    code_length: int
    code_duration: int
    long_code_length: int
    long_code_duration: int
    short_code_max_minutes: int
    enx_code_expiration_configurable: bool
    allowed_test_types: int
    require_date: bool
    allow_user_report_web_view: bool
    allow_admin_user_report: bool
    user_report_webhook_url: str | None
    user_report_webhook_secret: str | None
    user_report_learn_more_url: str | None
    agency_background_color: str | None
    agency_image: str | None
    default_locale: str | None
    sms_text_template: str
    alternate_sms_templates: dict[str, str] | None
    sms_country: str | None
    can_use_system_sms_config: bool
    use_system_sms_config: bool
    sms_from_number_id: int | None
    use_authenticated_sms: bool
    allow_generated_sms: bool
    email_invite_template: str | None
    email_password_reset_template: str | None
    email_verify_template: str | None
    can_use_system_email_config: bool
    use_system_email_config: bool
    mfa_mode: int
    mfa_required_grace_period: int
    email_verified_mode: int
    password_rotation_period_days: int
    password_rotation_warning_days: int
    allowed_cidrs_adminapi: list[str] | None
    allowed_cidrs_apiserver: list[str] | None
    allowed_cidrs_server: list[str] | None
    use_realm_certificate_key: bool | None
    certificate_issuer: str | None
    certificate_audience: str | None
    certificate_duration: int | None
    auto_rotate_certificate_key: bool
    enable_en_express: bool | None
    abuse_prevention_enabled: bool
    abuse_prevention_limit: int
    abuse_prevention_limit_factor: Decimal
    last_codes_claimed_ratio: Decimal
    codes_claimed_ratio_mean: Decimal
    codes_claimed_ratio_stddev: Decimal
    allow_passkey_signin: bool = False


REALM_COLUMNS = ", ".join(f.name for f in fields(Realm))


@dataclass(frozen=True)
class AuthorizedApp:
    """An API key row (the key itself is only stored as an HMAC)."""

    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None
    realm_id: int
    name: str
    api_key_preview: str
    api_key: str
    api_key_type: int
    last_used_at: dt.datetime | None


AUTHORIZED_APP_COLUMNS = ", ".join(f.name for f in fields(AuthorizedApp))


@dataclass(frozen=True)
class User:
    """A person who signs in to the web UI."""

    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    email: str
    name: str
    system_admin: bool
    last_password_change: dt.datetime | None
    password_hash: str | None
    email_verified_at: dt.datetime | None
    sessions_valid_after: dt.datetime | None
    failed_logins: int
    locked_until: dt.datetime | None


USER_COLUMNS = ", ".join(f.name for f in fields(User))


@dataclass(frozen=True)
class MobileApp:
    """A realm's mobile app (store link, ids and signing fingerprints)."""

    id: int
    realm_id: int
    name: str
    os: int
    app_id: str
    url: str | None
    sha: str
    headless: bool
    disable_redirect: bool
    deleted_at: dt.datetime | None = None


MOBILE_APP_COLUMNS = ", ".join(f.name for f in fields(MobileApp))
