"""What the UI's code pages need around the shared issuing use case.

Issuing and expiring are ``models.codes.issue.IssueService`` and
``models.codes.expiry.ExpireService`` (shared with the admin API); this module only
adds the read-side helpers of the pages: SMS availability, the user's recent
codes and the names behind a code.
"""

from __future__ import annotations

import psycopg

from db.crypto import Envelope
from db.queries.codes import issuance as issue_q
from db.rows import Realm
from models.codes import sms

# The issue page never offers user reports (§5.1).
UI_TEST_TYPES = ("confirmed", "likely", "negative")


def sms_available(conn: psycopg.Connection, envelope: Envelope, realm: Realm) -> bool:
    """Say whether the realm has an effective SMS provider (own or system)."""
    return sms.load_provider(conn, envelope, realm) is not None


def recent(conn: psycopg.Connection, realm_id: int, user_id: int):
    """Return the five codes the user issued most recently in the realm."""
    return issue_q.list_recent_by_user(conn, realm_id=realm_id, user_id=user_id)


def issuer_names(conn: psycopg.Connection, row) -> tuple[str | None, str | None]:
    """Return the names of the user and the app that issued a code."""
    return issue_q.issuer_names(
        conn, user_id=row.issuing_user_id, app_id=row.issuing_app_id
    )
