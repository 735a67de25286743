"""``/admin/sms`` and ``/admin/email``: the system SMS and SMTP configs (§5.10).

Secrets are write-only: the pages say whether one is stored, never show it;
leaving the field blank keeps the stored value.
"""

from __future__ import annotations

import falcon

from models.accounts import system_email
from models.codes import system_sms
from models.errors import DomainError
from ui.guards import system_admin
from ui.resources.admin.common import actor, form
from ui.web import redirect


class _ConfigPage:
    """One system config: show it, save it (a blank key field deletes it)."""

    path = template = title = noun = ""

    def __init__(self, pages, db, envelope):
        self._pages, self._db, self._envelope = pages, db, envelope

    def load(self, conn):
        """Return the stored config (or None)."""
        raise NotImplementedError

    def save(self, conn, req, values: dict) -> None:
        """Validate and store ``values`` (raise DomainError on bad input)."""
        raise NotImplementedError

    def on_get(self, req, resp):
        """Show the stored config."""
        self._render(req, resp)

    def _render(self, req, resp, status=200, values=None):
        with self._db.connection() as conn:
            config = self.load(conn)
        self._pages.render(
            req,
            resp,
            self.template,
            status=status,
            title=self.title,
            config=config,
            values=values or {},
        )

    def on_post(self, req, resp):
        """Save (or delete) the config; answer the form again on bad input."""
        values, session = form(req), req.context.session
        try:
            with self._db.connection() as conn:
                self.save(conn, req, values)
        except DomainError as ex:
            session.flash("error", ex.message)
            return self._render(req, resp, status=422, values=values)
        session.flash("alert", f"Successfully updated {self.noun}")
        raise redirect(self.path)


@falcon.before(system_admin)
class SmsConfig(_ConfigPage):
    """``GET|POST /admin/sms``: the system Twilio account and sender numbers."""

    path, template, title = "/admin/sms", "admin/sms.mako", "System SMS"
    noun = "system SMS config"

    def load(self, conn):
        """Return the system SMS config."""
        return system_sms.load(conn)

    def save(self, conn, req, values):
        """Store the account (a blank SID deletes it) and its numbers."""
        system_sms.save(
            conn,
            self._envelope,
            account_sid=values.get("twilio_account_sid", ""),
            auth_token=values.get("twilio_auth_token", ""),
            numbers=system_sms.parse_numbers(values),
            actor=actor(req),
        )


@falcon.before(system_admin)
class EmailConfig(_ConfigPage):
    """``GET|POST /admin/email``: the system SMTP config."""

    path, template, title = "/admin/email", "admin/email.mako", "System email"
    noun = "system email config"

    def load(self, conn):
        """Return the system SMTP config."""
        return system_email.load(conn)

    def save(self, conn, req, values):
        """Store the SMTP account (blank deletes it)."""
        system_email.save(
            conn,
            self._envelope,
            account=values.get("smtp_account", ""),
            password=values.get("smtp_password", ""),
            host=values.get("smtp_host", ""),
            port=values.get("smtp_port", ""),
            actor=actor(req),
        )
