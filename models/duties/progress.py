"""Forward progress of the duties: has each one succeeded recently enough?

The original alerted when a duty's success counter stayed at zero over a
window of about two cadences (operations §0). Here the Dagster success
sensor records each real success (runs skipped by their gate do not count)
and the forward-progress check compares it with the same windows. A duty
that has never succeeded is measured from when the check first saw it, so a
fresh installation is not flagged before its first window has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import psycopg

from db.queries.duties import progress as q

_M = dt.timedelta(minutes=1)
_H = dt.timedelta(hours=1)

# Job name -> the longest time without a success before it is overdue.
WINDOWS: dict[str, dt.timedelta] = {
    "appsync_job": 8 * _H + 10 * _M,
    "backup_job": 8 * _H + 10 * _M,
    "modeler_job": 8 * _H + 10 * _M,
    "cleanup_job": 4 * _H + 10 * _M,
    "e2e_default_job": 11 * _M,
    "e2e_revise_job": 11 * _M,
    "e2e_user_report_job": 11 * _M,
    "e2e_enx_redirect_job": 11 * _M,
    "rotate_secrets_job": 11 * _M,
    "rotate_token_signing_key_job": 70 * _M,
    "rotate_realm_certificate_keys_job": 35 * _M,
    "stats_pull_job": 35 * _M,
    "emailer_anomalies_job": 24 * _H + 15 * _M,
    "emailer_sms_errors_job": 24 * _H + 15 * _M,
}


@dataclass(frozen=True)
class Overdue:
    """A duty with no success inside its window."""

    duty: str
    window: dt.timedelta
    last_success: dt.datetime | None
    since: dt.datetime

    def describe(self) -> str:
        """One line for logs and the sensor's failure message."""
        last = self.last_success.isoformat() if self.last_success else "never"
        return f"{self.duty}: no success within {self.window} (last: {last})"


def record_success(
    conn: psycopg.Connection, duty: str, run_id: str, now: dt.datetime
) -> None:
    """Note a real success of ``duty`` (ignored for duties without a window)."""
    if duty in WINDOWS:
        q.record_success(conn, duty=duty, run_id=run_id, now=now)


def overdue(
    conn: psycopg.Connection, duties: list[str], now: dt.datetime
) -> list[Overdue]:
    """Return the duties among ``duties`` whose last success is too old."""
    watched = [duty for duty in duties if duty in WINDOWS]
    found = []
    for duty, (first_seen, last) in sorted(
        q.progress(conn, duties=watched, now=now).items()
    ):
        since = last or first_seen
        if now - since > WINDOWS[duty]:
            found.append(Overdue(duty, WINDOWS[duty], last, since))
    return found
