"""CSV in and out of a realm's member list: the import and ``export.csv``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import psycopg

from db.crypto import Envelope
from models import audit
from models.accounts import mail as mailer
from models.accounts import members
from models.accounts.rbac import LEGACY_REALM_USER
from models.settings import UiSettings

# OWASP "CSV injection": a cell starting with one of these runs as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ImportResult:
    """What happened to one line of an import."""

    line: int
    email: str
    name: str
    error: str | None = None


def parse_rows(text: str) -> list[tuple[int, str, str]]:
    """Return (line number, email, name) for each non-blank ``email, name`` line."""
    rows = []
    for number, record in enumerate(csv.reader(io.StringIO(text or "")), start=1):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        rows.append((number, cells[0], cells[1] if len(cells) > 1 else ""))
    return rows


def import_members(
    conn: psycopg.Connection,
    ui: UiSettings,
    *,
    realm_id: int,
    text: str,
    actor: audit.Actor,
    actor_permissions: int,
    send_invites: bool,
    now: dt.datetime,
    envelope: Envelope | None = None,
) -> list[ImportResult]:
    """Add every line as a case worker (one transaction each); report per line.

    Existing members keep their permissions and gain the case-worker bits.
    """
    results = []
    for number, email, name in parse_rows(text):
        try:
            members.invite_member(
                conn,
                ui,
                realm_id=realm_id,
                email=email,
                name=name or email,
                permissions=[int(LEGACY_REALM_USER)],
                actor=actor,
                actor_permissions=actor_permissions,
                envelope=envelope,
                now=now,
                send_email=send_invites,
                merge_permissions=True,
            )
        except (members.MemberError, mailer.MailError) as ex:
            results.append(ImportResult(number, email, name, str(ex)))
        else:
            results.append(ImportResult(number, email, name))
    return results


def neutralise(cell: str) -> str:
    """Prefix a quote to cells a spreadsheet would run as a formula (OWASP)."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def export_csv(conn: psycopg.Connection, realm_id: int) -> str:
    """Return the realm's members as ``name,email,joined`` CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "email", "joined"])
    for member in members.export_members(conn, realm_id):
        writer.writerow(
            [
                neutralise(member.name),
                neutralise(member.email),
                member.joined.strftime("%Y-%m-%d"),
            ]
        )
    return out.getvalue()
