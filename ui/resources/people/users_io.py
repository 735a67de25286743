"""``/realm/users/import`` and ``/realm/users/export.csv``."""

from __future__ import annotations

from models.accounts import member_csv
from models.accounts.rbac import Permission
from ui.guards import requires
from ui.resources.people.forms import actor, checked, field, form

MAX_IMPORT_BYTES = 1_000_000


class UserImport:
    """Add many case workers from ``email, name`` lines, one transaction each."""

    def __init__(self, pages, db, ui_settings, envelope=None):
        self._pages = pages
        self._db = db
        self._ui = ui_settings
        # Opens a realm's sealed SMTP password for the mails sent from here.
        self._envelope = envelope

    @requires(Permission.USER_WRITE)
    def on_get(self, req, resp):
        """Render the import form."""
        self._render(req, resp, "", True, None)

    @requires(Permission.USER_WRITE)
    def on_post(self, req, resp):
        """Import the pasted (or file-loaded) CSV and show each line's outcome."""
        ctx = req.context
        values = form(req)
        text = field(values, "csv")
        send = checked(values, "send_invites")
        if len(text.encode()) > MAX_IMPORT_BYTES or not member_csv.parse_rows(text):
            return self._render(
                req, resp, text, send, None, error="Add at least one line (email, name)"
            )
        with self._db.connection() as conn:
            results = member_csv.import_members(
                conn,
                self._ui,
                realm_id=ctx.realm.id,
                text=text,
                actor=actor(req),
                actor_permissions=ctx.membership.permissions,
                send_invites=send,
                envelope=self._envelope,
                now=ctx.now,
            )
        failed = [r for r in results if r.error]
        status = 422 if failed and len(failed) == len(results) else 200
        self._render(req, resp, "", send, results, status=status)

    def _render(self, req, resp, text, send, results, *, error=None, status=None):
        self._pages.render(
            req,
            resp,
            "users/import.mako",
            status=status or (422 if error else 200),
            title="Import users",
            text=text,
            send_invites=send,
            results=results,
            error=error,
        )


class UserExport:
    """Download the realm's members as CSV."""

    def __init__(self, db):
        self._db = db

    @requires(Permission.USER_READ)
    def on_get(self, req, resp):
        """Send ``<YYYYMMDDhhmmss>-users.csv`` as an attachment."""
        ctx = req.context
        with self._db.connection() as conn:
            body = member_csv.export_csv(conn, ctx.realm.id)
        resp.content_type = "text/csv; charset=utf-8"
        resp.downloadable_as = f"{ctx.now.strftime('%Y%m%d%H%M%S')}-users.csv"
        resp.text = body
