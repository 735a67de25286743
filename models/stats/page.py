"""Which sections the realm statistics page shows (ui-and-data §5.8)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from db.queries.stats import page as q
from db.rows import Realm

USER_REPORT_BIT = 16
SMOOTHING_DAYS = (1, 7, 14, 28)
DEFAULT_SMOOTHING = 7


@dataclass(frozen=True)
class PageFacts:
    """The realm features that switch optional chart sections on."""

    user_report: bool
    sms: bool
    key_server: bool
    key_server_url: str | None


def page_facts(conn: psycopg.Connection, realm: Realm) -> PageFacts:
    """Return which optional sections apply to ``realm``."""
    key_server, url = q.key_server_override(conn, realm_id=realm.id)
    return PageFacts(
        user_report=bool(realm.allowed_test_types & USER_REPORT_BIT),
        sms=q.sms_configured(conn, realm_id=realm.id),
        key_server=key_server,
        key_server_url=url,
    )
