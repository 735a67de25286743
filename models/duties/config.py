"""Tuning values of the duties, read from the environment (operations §2–§9).

Every value keeps the original's name and default; ``duty_settings`` reads
them through the same collecting reader as the rest of the settings, so a
bad value is reported with every other problem at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.duties.rotation import RotationSettings
from models.envparse import Env

SMS_IGNORED_DEFAULT = ("30003", "30004", "30005", "30006")


@dataclass(frozen=True)
class DutySettings:
    """Ages, clamps and limits of the internal duties."""

    token_signing_key_max_age: float = 720 * 3600.0  # TOKEN_SIGNING_KEY_MAX_AGE
    verification_signing_key_max_age: float = 720 * 3600.0  # VERIFICATION_SIGNING_…
    verification_activation_delay: float = 3600.0  # VERIFICATION_ACTIVATION_DELAY
    secret_activation_ttl: float = 1800.0  # SECRET_ACTIVATION_TTL
    secret_destroy_ttl: float = 24 * 3600.0  # SECRET_DESTROY_TTL
    db_max_key_versions: int = 5  # DB_MAX_KEY_VERSIONS
    modeler_min_value: int = 10  # MODELER_MIN_VALUE
    modeler_max_value: int = 20000  # MODELER_MAX_VALUE
    anomaly_allowed_stdevs: float = 2.0  # ANOMALY_ALLOWED_STDEVS
    app_sync_size_limit: int = 4_000_000  # APP_SYNC_SIZE_LIMIT, bytes
    app_sync_timeout: float = 60.0  # APP_SYNC_TIMEOUT
    stats_puller_size_limit: int = 64_000  # STATS_PULLER_SIZE_LIMIT, bytes
    stats_puller_download_timeout: float = 60.0  # STATS_PULLER_DOWNLOAD_TIMEOUT
    stats_puller_max_workers: int = 5  # STATS_PULLER_MAX_WORKERS
    sms_errors_email_threshold: int = 50  # SMS_ERRORS_EMAIL_THRESHOLD
    sms_ignored_error_codes: tuple[str, ...] = SMS_IGNORED_DEFAULT

    def rotation(self) -> RotationSettings:
        """The rotation ages as the rotation duties take them."""
        return RotationSettings(
            token_signing_key_max_age=self.token_signing_key_max_age,
            verification_signing_key_max_age=self.verification_signing_key_max_age,
            verification_activation_delay=self.verification_activation_delay,
            secret_activation_ttl=self.secret_activation_ttl,
            secret_destroy_ttl=self.secret_destroy_ttl,
            max_key_versions=self.db_max_key_versions,
        )


def duty_settings(e: Env) -> DutySettings:
    """Read the duties' tuning values; problems go to ``e.errors``."""
    ignored = tuple(
        code.strip()
        for code in e.str(
            "SMS_IGNORED_ERROR_CODES", ",".join(SMS_IGNORED_DEFAULT)
        ).split(",")
        if code.strip()
    )
    cfg = DutySettings(
        token_signing_key_max_age=e.seconds("TOKEN_SIGNING_KEY_MAX_AGE", "720h", 60),
        verification_signing_key_max_age=e.seconds(
            "VERIFICATION_SIGNING_KEY_MAX_AGE", "720h", 60
        ),
        verification_activation_delay=e.seconds("VERIFICATION_ACTIVATION_DELAY", "1h"),
        secret_activation_ttl=e.seconds("SECRET_ACTIVATION_TTL", "30m"),
        secret_destroy_ttl=e.seconds("SECRET_DESTROY_TTL", "24h"),
        db_max_key_versions=e.int("DB_MAX_KEY_VERSIONS", 5, 2, 100),
        modeler_min_value=e.int("MODELER_MIN_VALUE", 10, 0),
        modeler_max_value=e.int("MODELER_MAX_VALUE", 20000, 1),
        anomaly_allowed_stdevs=_positive_float(e, "ANOMALY_ALLOWED_STDEVS", 2.0),
        app_sync_size_limit=e.int("APP_SYNC_SIZE_LIMIT", 4_000_000, 1024),
        app_sync_timeout=e.seconds("APP_SYNC_TIMEOUT", "1m", 1),
        stats_puller_size_limit=e.int("STATS_PULLER_SIZE_LIMIT", 64_000, 1024),
        stats_puller_download_timeout=e.seconds(
            "STATS_PULLER_DOWNLOAD_TIMEOUT", "1m", 1
        ),
        stats_puller_max_workers=e.int("STATS_PULLER_MAX_WORKERS", 5, 1, 64),
        sms_errors_email_threshold=e.int("SMS_ERRORS_EMAIL_THRESHOLD", 50, 1),
        sms_ignored_error_codes=ignored,
    )
    if cfg.modeler_min_value > cfg.modeler_max_value:
        e.errors.append("MODELER_MIN_VALUE: must not exceed MODELER_MAX_VALUE")
    return cfg


def _positive_float(e: Env, name: str, default: float) -> float:
    raw = e.str(name, "")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        e.errors.append(f"{name}: {raw!r} is not a number")
        return default
    if not value > 0:
        e.errors.append(f"{name}: must be above 0")
        return default
    return value
