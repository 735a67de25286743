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


@falcon.before(system_admin)
class SmsConfig:
    """``GET|POST /admin/sms``."""

    def __init__(self, pages, db, envelope):
        self._pages, self._db, self._envelope = pages, db, envelope

    def on_get(self, req, resp):
        """Show the system Twilio account and the sender numbers."""
        self._render(req, resp)

    def _render(self, req, resp, status=200, values=None):
        with self._db.connection() as conn:
            config = system_sms.load(conn)
        self._pages.render(
            req,
            resp,
            "admin/sms.mako",
            status=status,
            title="System SMS",
            config=config,
            values=values or {},
        )

    def on_post(self, req, resp):
        """Save (or, with a blank SID, delete) the system SMS config."""
        values, session = form(req), req.context.session
        try:
            numbers = system_sms.parse_numbers(values)
            with self._db.connection() as conn:
                system_sms.save(
                    conn,
                    self._envelope,
                    account_sid=values.get("twilio_account_sid", ""),
                    auth_token=values.get("twilio_auth_token", ""),
                    numbers=numbers,
                    actor=actor(req),
                )
        except DomainError as ex:
            session.flash("error", ex.message)
            return self._render(req, resp, status=422, values=values)
        session.flash("alert", "Successfully updated system SMS config")
        raise redirect("/admin/sms")


@falcon.before(system_admin)
class EmailConfig:
    """``GET|POST /admin/email``."""

    def __init__(self, pages, db, envelope):
        self._pages, self._db, self._envelope = pages, db, envelope

    def on_get(self, req, resp):
        """Show the system SMTP config."""
        self._render(req, resp)

    def _render(self, req, resp, status=200, values=None):
        with self._db.connection() as conn:
            config = system_email.load(conn)
        self._pages.render(
            req,
            resp,
            "admin/email.mako",
            status=status,
            title="System email",
            config=config,
            values=values or {},
        )

    def on_post(self, req, resp):
        """Save (or, blank, delete) the system SMTP config."""
        values, session = form(req), req.context.session
        try:
            with self._db.connection() as conn:
                system_email.save(
                    conn,
                    self._envelope,
                    account=values.get("smtp_account", ""),
                    password=values.get("smtp_password", ""),
                    host=values.get("smtp_host", ""),
                    port=values.get("smtp_port", ""),
                    actor=actor(req),
                )
        except DomainError as ex:
            session.flash("error", ex.message)
            return self._render(req, resp, status=422, values=values)
        session.flash("alert", "Successfully updated system email config")
        raise redirect("/admin/email")
