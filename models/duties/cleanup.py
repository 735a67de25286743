"""The purge duty: retention rules of operations §2, one target at a time.

Each target is independent (a failure in one does not stop the others) and
reports the rows it affected. Ages come from ``Settings.cleanup``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from db.keystore import KeyStore
from db.queries.duties import purge as q
from models.settings import CleanupSettings

log = logging.getLogger(__name__)

# (conn, keystore, ages, now) -> rows affected
PurgeFn = Callable[[psycopg.Connection, KeyStore, CleanupSettings, dt.datetime], int]


@dataclass(frozen=True)
class PurgeTarget:
    """One retention rule: its op name, the original's tag, and the work."""

    name: str
    tag: str
    run: PurgeFn


def _ago(now: dt.datetime, seconds: float) -> dt.datetime:
    return now - dt.timedelta(seconds=seconds)


def _purge_token_signing_keys(conn, keystore, ages, now) -> int:
    """Destroy retired token keys in the key store, then delete their rows."""
    done = 0
    for key_id, version in q.retired_token_signing_keys(
        conn, cutoff=_ago(now, ages.signing_token_key_max_age)
    ):
        # Key store first: a crash in between leaves a row whose version is
        # already gone, and destroy() treats that as success next time.
        keystore.destroy(conn, version)
        done += q.delete_token_signing_key(conn, key_id=key_id)
    return done


def unclaimed_user_report_age(conn: psycopg.Connection, ages: CleanupSettings) -> float:
    """Return how long unclaimed user reports live, in seconds.

    The original used USER_REPORT_MAX_AGE here (a bug: phone numbers stayed
    blocked for 30 days); we use USER_REPORT_UNCLAIMED_MAX_AGE, but never
    less than the longest code lifetime of a realm that issues user reports,
    so a report outlives the code tied to it.
    """
    longest_code = q.max_user_report_code_duration(conn)
    if longest_code > ages.user_report_unclaimed_max_age:
        log.warning(
            "unclaimed user reports kept %ss (longest code duration) instead of %ss",
            longest_code,
            ages.user_report_unclaimed_max_age,
        )
    return max(ages.user_report_unclaimed_max_age, float(longest_code))


def _chaff_cutoff(now: dt.datetime, ages: CleanupSettings) -> dt.datetime:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return _ago(midnight, ages.realm_chaff_event_max_age)


TARGETS: tuple[PurgeTarget, ...] = (
    PurgeTarget(
        "purge_api_keys",
        "API_KEYS",
        lambda c, k, a, n: q.purge_api_keys(
            c, cutoff=_ago(n, a.authorized_app_max_age)
        ),
    ),
    PurgeTarget(
        "purge_verification_codes",
        "VERIFICATION_CODE",
        lambda c, k, a, n: q.purge_verification_codes(
            c, cutoff=_ago(n, a.verification_code_status_max_age)
        ),
    ),
    PurgeTarget(
        "recycle_verification_codes",
        "VERIFICATION_CODE_RECYCLE",
        lambda c, k, a, n: q.recycle_verification_codes(
            c, cutoff=_ago(n, a.verification_code_max_age)
        ),
    ),
    PurgeTarget(
        "purge_tokens",
        "VERIFICATION_TOKEN",
        lambda c, k, a, n: q.purge_tokens(
            c, cutoff=_ago(n, a.verification_token_max_age)
        ),
    ),
    PurgeTarget(
        "purge_orphaned_memberships",
        "MEMBERSHIP",
        lambda c, k, a, n: q.purge_orphaned_memberships(c),
    ),
    PurgeTarget(
        "purge_mobile_apps",
        "MOBILE_APP",
        lambda c, k, a, n: q.purge_mobile_apps(c, cutoff=_ago(n, a.mobile_app_max_age)),
    ),
    PurgeTarget(
        "purge_audit_entries",
        "AUDIT_ENTRY",
        lambda c, k, a, n: q.purge_audit_entries(
            c, cutoff=_ago(n, a.audit_entry_max_age)
        ),
    ),
    PurgeTarget(
        "purge_users",
        "USER",
        lambda c, k, a, n: q.purge_users(c, cutoff=_ago(n, a.user_purge_max_age)),
    ),
    PurgeTarget(
        "purge_token_signing_keys", "TOKEN_SIGNING_KEY", _purge_token_signing_keys
    ),
    PurgeTarget(
        "purge_certificate_signing_keys",
        "VERIFICATION_SIGNING_KEY",
        lambda c, k, a, n: q.purge_certificate_signing_keys(
            c, cutoff=_ago(n, a.verification_signing_key_max_age)
        ),
    ),
    PurgeTarget(
        "purge_key_server_stats",
        "KEY_SERVER_STATS",
        lambda c, k, a, n: q.purge_key_server_stats(c, cutoff=_ago(n, a.stats_max_age)),
    ),
    PurgeTarget(
        "purge_authorized_app_stats",
        "AUTHORIZED_APP_STATS",
        lambda c, k, a, n: q.purge_authorized_app_stats(
            c, cutoff=_ago(n, a.stats_max_age)
        ),
    ),
    PurgeTarget(
        "purge_external_issuer_stats",
        "EXTERNAL_ISSUER_STATS",
        lambda c, k, a, n: q.purge_external_issuer_stats(
            c, cutoff=_ago(n, a.stats_max_age)
        ),
    ),
    PurgeTarget(
        "purge_sms_error_stats",
        "SMS_ERROR_STATS",
        lambda c, k, a, n: q.purge_sms_error_stats(c, cutoff=_ago(n, a.stats_max_age)),
    ),
    PurgeTarget(
        "purge_realm_stats",
        "REALM_STATS",
        lambda c, k, a, n: q.purge_realm_stats(c, cutoff=_ago(n, a.stats_max_age)),
    ),
    PurgeTarget(
        "purge_realm_chaff_events",
        "REALM_CHAFF_EVENT",
        lambda c, k, a, n: q.purge_realm_chaff_events(c, cutoff=_chaff_cutoff(n, a)),
    ),
    PurgeTarget(
        "purge_unclaimed_user_reports",
        "UNCLAIMED_USER_REPORTS",
        lambda c, k, a, n: q.purge_unclaimed_user_reports(
            c, cutoff=_ago(n, unclaimed_user_report_age(c, a))
        ),
    ),
    PurgeTarget(
        "purge_user_stats",
        "USER_STATS",
        lambda c, k, a, n: q.purge_user_stats(c, cutoff=_ago(n, a.stats_max_age)),
    ),
    PurgeTarget(
        "purge_claimed_user_reports",
        "CLAIMED_USER_REPORTS",
        lambda c, k, a, n: q.purge_user_reports(
            c, cutoff=_ago(n, a.user_report_max_age)
        ),
    ),
)


def run_target(
    conn: psycopg.Connection,
    target: PurgeTarget,
    *,
    keystore: KeyStore,
    ages: CleanupSettings,
    now: dt.datetime,
) -> int:
    """Run one purge target in its own transaction; return rows affected."""
    with conn.transaction():
        rows = target.run(conn, keystore, ages, now)
    log.info("cleanup %s: %d rows", target.tag, rows)
    return rows
