"""Run gates for the internal duties (operations §1.1, design §2).

Each duty has a row in ``lock_statuses`` named as in the original
(``cleanupLock``...). Taking it sets ``not_before = now + min_period`` (the
original's rate gate) and records the holder; unlike the original, the holder
releases it when its run ends, so a second run never overlaps a running one.
A holder that died keeps the gate for at most ``STALE_AFTER``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from db.queries.duties import locks as q

# A cron tick can fire a few milliseconds before the previous run's
# ``not_before`` (cleanup: */5 with a 5 m period); this slack stops the
# original's every-other-tick skipping.
SCHEDULE_SLACK = dt.timedelta(seconds=10)
# A run that crashed without releasing blocks its duty at most this long.
STALE_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Gate:
    """A duty's lock name and minimum period between run starts."""

    name: str
    min_period: float  # seconds


CLEANUP = "cleanupLock"
SECRETS_ROTATION = Gate("secretsRotationLock", 60)
TOKEN_ROTATION = Gate("tokenRotationLock", 60)
VERIFICATION_ROTATION = Gate("verificationRotationLock", 60)
MODELER = Gate("modelerLock", 15 * 60)
APP_SYNC = Gate("appSyncLock", 5 * 60)
STATS_PULLER = Gate("statsPullerLock", 5 * 60)
BACKUP = Gate("backupLock", 5 * 60)
EMAILER_ANOMALIES = Gate("emailerAnomaliesLock", 4 * 3600)
EMAILER_SMS_ERRORS = Gate("emailerSMSErrorsLock", 4 * 3600)
# The original's prober has no gate; ours only excludes overlapping runs.
E2E = Gate("e2eLock", 0)


def cleanup_gate(min_period: float) -> Gate:
    """Return the cleanup gate (its period is configurable)."""
    return Gate(CLEANUP, min_period)


def try_acquire(
    conn: psycopg.Connection, gate: Gate, *, holder: str, now: dt.datetime
) -> bool:
    """Take ``gate`` for ``holder``; False if held or too early."""
    with conn.transaction():
        q.ensure_lock_row(conn, name=gate.name)
        generation = q.acquire_lock(
            conn,
            name=gate.name,
            holder=holder,
            now=now,
            not_before=now + dt.timedelta(seconds=gate.min_period),
            slack=SCHEDULE_SLACK,
            stale_before=now - STALE_AFTER,
        )
    return generation is not None


def release_all(
    conn: psycopg.Connection, *, holder: str, now: dt.datetime
) -> list[str]:
    """Release every gate ``holder`` holds (at the end of its run)."""
    with conn.transaction():
        return q.release_locks_of(conn, holder=holder, now=now)
