"""Process settings: one frozen object built once from the environment.

Nothing else in encv reads ``os.environ``; the wiring layer builds a
:class:`Settings` and passes the parts each component needs.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from models.duties.config import DutySettings, duty_settings
from models.envparse import (  # noqa: F401 - re-exported for callers
    Env,
    Secret,
    SettingsError,
    parse_duration,
    realm_ids,
    server_endpoint,
    webauthn_party,
)
from models.network import TrustedProxies
from models.redirect.rules import parse_host_regions


@dataclass(frozen=True)
class TokenSettings:
    """Verification-token and certificate defaults (protocol §6)."""

    token_issuer: str  # TOKEN_ISSUER, default diagnosis-verification-example
    token_duration: float  # VERIFICATION_TOKEN_DURATION, seconds, default 24h
    certificate_issuer: str  # CERTIFICATE_ISSUER
    certificate_audience: str  # CERTIFICATE_AUDIENCE
    certificate_duration: float  # CERTIFICATE_DURATION, seconds, default 15m
    certificate_key_id: str  # CERTIFICATE_SIGNING_KEY_ID, JWT kid, default v1
    allowed_clock_skew: float  # ALLOWED_CLOCK_SKEW, seconds, default 5s


@dataclass(frozen=True)
class CodeSettings:
    """Code issuance rules shared by the admin API and the UI (protocol §3)."""

    allowed_past_symptom_days: int  # ALLOWED_PAST_SYMPTOM_DAYS, days, default 28
    collision_retry_count: int  # COLLISION_RETRY_COUNT, default 6
    enforce_realm_quotas: bool  # ENFORCE_REALM_QUOTAS, default true
    enx_redirect_domain: str  # ENX_REDIRECT_DOMAIN, lower-cased, default ''
    sms_api_base_url: str  # ENCV_SMS_API_URL, Twilio-compatible base URL
    sms_timeout: float  # ENCV_SMS_TIMEOUT, seconds, default 10s
    chaff_max_latency_ms: int  # CHAFF_MAX_LATENCY_MS, default 1000


@dataclass(frozen=True)
class RateLimitSettings:
    """Fixed-window rate limit applied on every surface (protocol §10)."""

    # RATE_LIMIT_TYPE: redis|postgres|memory|noop; default redis with REDIS_URL,
    # else postgres (shared by all workers); memory counts per process
    kind: str
    tokens: int  # RATE_LIMIT_TOKENS, per window, default 120
    interval: float  # RATE_LIMIT_INTERVAL, seconds, default 1m


@dataclass(frozen=True)
class CleanupSettings:
    """Retention ages for the purge duty (operations §2), all in seconds."""

    min_period: float = 300
    authorized_app_max_age: float = 336 * 3600
    verification_code_status_max_age: float = 336 * 3600
    verification_code_max_age: float = 48 * 3600
    verification_token_max_age: float = 24 * 3600
    mobile_app_max_age: float = 168 * 3600
    audit_entry_max_age: float = 720 * 3600
    user_purge_max_age: float = 720 * 3600
    signing_token_key_max_age: float = 36 * 3600
    verification_signing_key_max_age: float = 36 * 3600
    stats_max_age: float = 2184 * 3600
    realm_chaff_event_max_age: float = 168 * 3600
    user_report_max_age: float = 720 * 3600
    user_report_unclaimed_max_age: float = 3600


@dataclass(frozen=True)
class UiSettings:
    """People-facing server settings (ui-and-data §2, §3, §6.3)."""

    auth_provider: str  # ENCV_AUTH_PROVIDER: local|firebase, default local
    session_duration: float  # SESSION_DURATION, seconds, default 20h
    session_idle_timeout: float  # SESSION_IDLE_TIMEOUT, seconds, default 20m
    cookie_domain: str  # COOKIE_DOMAIN
    server_endpoint: str  # SERVER_ENDPOINT, external base URL for emails
    system_notice: str  # SYSTEM_NOTICE
    firebase_jwks_url: str  # ENCV_FIREBASE_JWKS_URL
    firebase_issuer: str  # ENCV_FIREBASE_ISSUER
    firebase_audience: str  # ENCV_FIREBASE_AUDIENCE (project id)
    signin_max_failures: int  # ENCV_SIGNIN_MAX_FAILURES, default 5
    signin_lockout: float  # ENCV_SIGNIN_LOCKOUT, seconds, default 15m
    password_min_length: int  # MIN_PWD_LENGTH, default 8
    smtp_host: str  # ENCV_SMTP_HOST (system email config fallback)
    smtp_port: int  # ENCV_SMTP_PORT, default 25
    smtp_from: str  # ENCV_SMTP_FROM
    # ENCV_RESET_MAILS_PER_HOUR: reset mails one account receives per hour (3)
    reset_mails_per_hour: int = 3
    # ENCV_RESET_REQUESTS_PER_HOUR: reset requests one client address may make
    # per hour (20); beyond it the answer stays the same but nothing is sent
    reset_requests_per_hour: int = 20
    # ENCV_WEBAUTHN_RP_ID / ENCV_WEBAUTHN_ORIGIN: whom passkeys belong to;
    # derived from SERVER_ENDPOINT (host name; scheme://host[:port]) if unset
    webauthn_rp_id: str = ""
    webauthn_origin: str = ""


@dataclass(frozen=True)
class OpsSettings:
    """Outbound endpoints and knobs of the internal duties (operations.md)."""

    app_feed_url: str  # ENCV_APP_FEED_URL
    key_server_url: str  # ENCV_KEY_SERVER_URL (stats pull, e2e publish)
    key_server_audience: str  # ENCV_KEY_SERVER_AUDIENCE
    backup_dir: str  # ENCV_BACKUP_DIR, default $ENCV_DATA_DIR/backups
    backup_keep: int  # ENCV_BACKUP_KEEP, newest N kept, default 7
    enable_emailer: bool  # ENABLE_EMAILER, default false
    e2e_apiserver_url: str  # ENCV_E2E_APISERVER_URL
    e2e_adminapi_url: str  # ENCV_E2E_ADMINAPI_URL
    e2e_redirect_url: str  # ENCV_E2E_REDIRECT_URL
    e2e_redirect_host: str  # ENCV_E2E_REDIRECT_HOST: Host header of that round
    min_realms_for_system_stats: int  # MIN_REALMS_FOR_SYSTEM_STATS, default 2
    # EXCLUDE_FROM_SYSTEM_STATS "3,7": realm ids left out of system statistics
    exclude_from_system_stats: tuple[int, ...] = ()
    build_id: str = ""  # BUILD_ID, shown on /admin/info
    build_tag: str = ""  # BUILD_TAG, shown on /admin/info


@dataclass(frozen=True)
class RedirectSettings:
    """ENX redirector and user-report web view (protocol §8.5, §9)."""

    # HOSTNAME_TO_REGION "host1:REG1,host2:REG2": lower-cased host -> region
    hostname_to_region: Mapping[str, str]
    app_cache_ttl: float  # APP_CACHE_TTL, seconds, default 5m
    # TRANSLATION_REFRESH_PERIOD, seconds, default 5m: how stale the web
    # view's copy of the realms' dynamic translations may get (§5.12).
    translation_refresh_period: float
    # ENCV_REPORT_SESSION_DURATION, seconds, default 1h (the original's
    # redirector reads SESSION_DURATION, which encv already gives the UI)
    session_duration: float
    debug_query_params: bool  # USER_REPORT_DEBUG_QUERY_PARAMS, default false


@dataclass(frozen=True)
class Settings:
    """Everything a process of encv needs to know, validated at start."""

    database_url: Secret  # DATABASE_URL; empty = embedded PostgreSQL
    redis_url: Secret  # REDIS_URL; empty = in-process cache and limiter
    data_dir: Path  # ENCV_DATA_DIR, default ./.encv
    kek: Secret  # ENCV_KEK, base64 of 32 bytes; empty = generated file in data_dir
    port_base: int  # ENCV_PORT_BASE, default 8080
    dagster_port: int  # ENCV_DAGSTER_PORT, default 3000
    dev_mode: bool  # DEV_MODE, default false (true under `encv up`)
    maintenance_mode: bool  # MAINTENANCE_MODE, default false
    db_pool_max: int  # ENCV_DB_POOL_MAX, connections per process, default 8
    # Fail fast when PostgreSQL is down (503 + Retry-After, not a hang):
    db_connect_timeout: float  # ENCV_DB_CONNECT_TIMEOUT, seconds, default 2s
    db_checkout_timeout: float  # ENCV_DB_CHECKOUT_TIMEOUT, pool wait, default 1.5s
    db_statement_timeout: float  # ENCV_DB_STATEMENT_TIMEOUT, default 10s, 0 = none
    # ENCV_TRUSTED_PROXIES (addresses/CIDRs) or ENCV_TRUSTED_PROXY_HOPS (count):
    # who may set X-Forwarded-For; default nobody (models.network).
    trusted_proxies: TrustedProxies
    tokens: TokenSettings
    codes: CodeSettings
    rate_limit: RateLimitSettings
    cleanup: CleanupSettings
    ui: UiSettings
    ops: OpsSettings
    redirect: RedirectSettings
    # Ages, clamps and limits of the Dagster duties (models.duties.config).
    duties: DutySettings = field(default_factory=DutySettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str], surface: str = "") -> Settings:
        """Build settings from ``env``; raise SettingsError listing every problem.

        ``surface`` names the process being started ("server", ...) so that
        settings only that surface needs are checked too.
        """
        e = Env(env)
        dev_mode = e.bool("DEV_MODE", False)
        port_base = e.int("ENCV_PORT_BASE", 8080, 1, 65531)
        endpoint = server_endpoint(e, surface, dev_mode, port_base)
        data_dir = Path(e.str("ENCV_DATA_DIR", ".encv")).expanduser().absolute()
        redis_url = e.secret("REDIS_URL")
        kek = e.secret("ENCV_KEK")
        if kek:
            try:
                if len(base64.b64decode(kek.value, validate=True)) != 32:
                    e.errors.append("ENCV_KEK: must be base64 of exactly 32 bytes")
            except ValueError:
                e.errors.append("ENCV_KEK: is not valid base64")
        rl_kind = e.str("RATE_LIMIT_TYPE", "redis" if redis_url else "postgres")
        rl_kind = rl_kind.lower()
        if rl_kind not in {"redis", "postgres", "memory", "noop"}:
            e.errors.append(
                "RATE_LIMIT_TYPE: must be one of redis, postgres, memory, noop"
            )
        if rl_kind == "redis" and not redis_url:
            e.errors.append("RATE_LIMIT_TYPE=redis needs REDIS_URL")
        for name in ("DATABASE_URL", "REDIS_URL"):
            value = env.get(name, "").strip()
            if value and "://" not in value:
                e.errors.append(f"{name}: expected a URL such as scheme://host/...")
        cleanup = CleanupSettings(
            min_period=e.seconds("CLEANUP_MIN_PERIOD", "5m"),
            authorized_app_max_age=e.seconds("AUTHORIZED_APP_MAX_AGE", "336h"),
            verification_code_status_max_age=e.seconds(
                "VERIFICATION_CODE_STATUS_MAX_AGE", "336h"
            ),
            verification_code_max_age=e.seconds("VERIFICATION_CODE_MAX_AGE", "48h"),
            verification_token_max_age=e.seconds("VERIFICATION_TOKEN_MAX_AGE", "24h"),
            mobile_app_max_age=e.seconds("MOBILE_APP_MAX_AGE", "168h"),
            audit_entry_max_age=e.seconds("AUDIT_ENTRY_MAX_AGE", "720h"),
            user_purge_max_age=e.seconds("USER_PURGE_MAX_AGE", "720h"),
            signing_token_key_max_age=e.seconds("SIGNING_TOKEN_KEY_MAX_AGE", "36h"),
            verification_signing_key_max_age=e.seconds(
                "VERIFICATION_SIGNING_KEY_MAX_AGE", "36h"
            ),
            stats_max_age=e.seconds("STATS_MAX_AGE", "2184h"),
            realm_chaff_event_max_age=e.seconds("REALM_CHAFF_EVENT_MAX_AGE", "168h"),
            user_report_max_age=e.seconds("USER_REPORT_MAX_AGE", "720h"),
            user_report_unclaimed_max_age=e.seconds(
                "USER_REPORT_UNCLAIMED_MAX_AGE", "60m"
            ),
        )
        _check_cleanup(cleanup, e.errors)
        try:
            host_regions = parse_host_regions(e.str("HOSTNAME_TO_REGION", ""))
        except ValueError as ex:
            e.errors.append(f"HOSTNAME_TO_REGION: {ex}")
            host_regions = {}
        try:
            trusted = TrustedProxies.parse(
                e.str("ENCV_TRUSTED_PROXIES", ""),
                e.int("ENCV_TRUSTED_PROXY_HOPS", 0, 0, 10),
            )
        except ValueError as ex:
            e.errors.append(f"ENCV_TRUSTED_PROXIES: {ex}")
            trusted = TrustedProxies()
        settings = cls(
            database_url=e.secret("DATABASE_URL"),
            redis_url=redis_url,
            data_dir=data_dir,
            kek=kek,
            port_base=port_base,
            dagster_port=e.int("ENCV_DAGSTER_PORT", 3000, 1, 65535),
            dev_mode=dev_mode,
            maintenance_mode=e.bool("MAINTENANCE_MODE", False),
            db_pool_max=e.int("ENCV_DB_POOL_MAX", 8, 1, 200),
            db_connect_timeout=e.seconds("ENCV_DB_CONNECT_TIMEOUT", "2s", lo=1),
            db_checkout_timeout=e.seconds("ENCV_DB_CHECKOUT_TIMEOUT", "1.5s", lo=0.1),
            db_statement_timeout=e.seconds("ENCV_DB_STATEMENT_TIMEOUT", "10s"),
            trusted_proxies=trusted,
            tokens=TokenSettings(
                token_issuer=e.str("TOKEN_ISSUER", "diagnosis-verification-example"),
                token_duration=e.seconds("VERIFICATION_TOKEN_DURATION", "24h", lo=1),
                certificate_issuer=e.str(
                    "CERTIFICATE_ISSUER", "diagnosis-verification-example"
                ),
                certificate_audience=e.str(
                    "CERTIFICATE_AUDIENCE", "exposure-notifications-server"
                ),
                certificate_duration=e.seconds("CERTIFICATE_DURATION", "15m", lo=1),
                certificate_key_id=e.str("CERTIFICATE_SIGNING_KEY_ID", "v1"),
                allowed_clock_skew=e.seconds("ALLOWED_CLOCK_SKEW", "5s"),
            ),
            codes=CodeSettings(
                allowed_past_symptom_days=e.int(
                    "ALLOWED_PAST_SYMPTOM_DAYS", 28, 1, 365
                ),
                collision_retry_count=e.int("COLLISION_RETRY_COUNT", 6, 1, 100),
                enforce_realm_quotas=e.bool("ENFORCE_REALM_QUOTAS", True),
                enx_redirect_domain=e.str("ENX_REDIRECT_DOMAIN", "").lower(),
                sms_api_base_url=e.str("ENCV_SMS_API_URL", "https://api.twilio.com"),
                sms_timeout=e.seconds("ENCV_SMS_TIMEOUT", "10s", lo=0.1),
                chaff_max_latency_ms=e.int("CHAFF_MAX_LATENCY_MS", 1000, 0, 60000),
            ),
            rate_limit=RateLimitSettings(
                kind=rl_kind,
                tokens=e.int("RATE_LIMIT_TOKENS", 120, 1),
                interval=e.seconds("RATE_LIMIT_INTERVAL", "1m", lo=1),
            ),
            cleanup=cleanup,
            ui=UiSettings(
                auth_provider=e.str("ENCV_AUTH_PROVIDER", "local").lower(),
                session_duration=e.seconds("SESSION_DURATION", "20h", lo=60),
                session_idle_timeout=e.seconds("SESSION_IDLE_TIMEOUT", "20m", lo=60),
                cookie_domain=e.str("COOKIE_DOMAIN", ""),
                server_endpoint=endpoint,
                system_notice=e.str("SYSTEM_NOTICE", ""),
                firebase_jwks_url=e.str("ENCV_FIREBASE_JWKS_URL", ""),
                firebase_issuer=e.str("ENCV_FIREBASE_ISSUER", ""),
                firebase_audience=e.str("ENCV_FIREBASE_AUDIENCE", ""),
                signin_max_failures=e.int("ENCV_SIGNIN_MAX_FAILURES", 5, 1, 1000),
                signin_lockout=e.seconds("ENCV_SIGNIN_LOCKOUT", "15m"),
                password_min_length=e.int("MIN_PWD_LENGTH", 8, 6, 256),
                smtp_host=e.str("ENCV_SMTP_HOST", ""),
                smtp_port=e.int("ENCV_SMTP_PORT", 25, 1, 65535),
                smtp_from=e.str("ENCV_SMTP_FROM", "noreply@localhost"),
                reset_mails_per_hour=e.int("ENCV_RESET_MAILS_PER_HOUR", 3, 1, 100),
                reset_requests_per_hour=e.int(
                    "ENCV_RESET_REQUESTS_PER_HOUR", 20, 1, 100_000
                ),
                **webauthn_party(e, endpoint),
            ),
            ops=OpsSettings(
                app_feed_url=e.str("ENCV_APP_FEED_URL", ""),
                key_server_url=e.str("ENCV_KEY_SERVER_URL", ""),
                key_server_audience=e.str(
                    "ENCV_KEY_SERVER_AUDIENCE", "exposure-notifications-server"
                ),
                backup_dir=e.str("ENCV_BACKUP_DIR", str(data_dir / "backups")),
                backup_keep=e.int("ENCV_BACKUP_KEEP", 7, 1, 1000),
                enable_emailer=e.bool("ENABLE_EMAILER", False),
                e2e_apiserver_url=e.str("ENCV_E2E_APISERVER_URL", ""),
                e2e_adminapi_url=e.str("ENCV_E2E_ADMINAPI_URL", ""),
                e2e_redirect_url=e.str("ENCV_E2E_REDIRECT_URL", ""),
                e2e_redirect_host=e.str("ENCV_E2E_REDIRECT_HOST", ""),
                min_realms_for_system_stats=e.int("MIN_REALMS_FOR_SYSTEM_STATS", 2, 2),
                exclude_from_system_stats=realm_ids(e, "EXCLUDE_FROM_SYSTEM_STATS"),
                build_id=e.str("BUILD_ID", ""),
                build_tag=e.str("BUILD_TAG", ""),
            ),
            redirect=RedirectSettings(
                hostname_to_region=MappingProxyType(host_regions),
                app_cache_ttl=e.seconds("APP_CACHE_TTL", "5m"),
                translation_refresh_period=e.seconds(
                    "TRANSLATION_REFRESH_PERIOD", "5m"
                ),
                session_duration=e.seconds("ENCV_REPORT_SESSION_DURATION", "1h", lo=60),
                debug_query_params=e.bool("USER_REPORT_DEBUG_QUERY_PARAMS", False),
            ),
            duties=duty_settings(e),
        )
        if settings.ui.auth_provider not in {"local", "firebase"}:
            e.errors.append("ENCV_AUTH_PROVIDER: must be local or firebase")
        if (
            settings.ui.auth_provider == "firebase"
            and not settings.ui.firebase_jwks_url
        ):
            e.errors.append("ENCV_AUTH_PROVIDER=firebase needs ENCV_FIREBASE_JWKS_URL")
        if e.errors:
            raise SettingsError("invalid configuration:\n  " + "\n  ".join(e.errors))
        return settings

    def replace(self, **changes) -> Settings:
        """Return a copy with top-level fields replaced (tests, wiring)."""
        return dataclasses.replace(self, **changes)


def _check_cleanup(cfg: CleanupSettings, errors: list[str]) -> None:
    """Apply the start-up checks of operations §2 to the retention ages."""
    if cfg.audit_entry_max_age < 7 * 86400:
        errors.append("AUDIT_ENTRY_MAX_AGE: must be at least 7 days")
    if cfg.verification_code_status_max_age < cfg.verification_code_max_age:
        errors.append(
            "VERIFICATION_CODE_STATUS_MAX_AGE: must be >= VERIFICATION_CODE_MAX_AGE"
        )
    if not 30 * 86400 <= cfg.stats_max_age <= 180 * 86400:
        errors.append("STATS_MAX_AGE: must be between 30 and 180 days")
