"""``/codes/status``, ``/codes/{uuid}`` and ``PATCH /codes/{uuid}/expire``."""

from __future__ import annotations

import uuid as uuidlib

from api.common.i18n import N_
from models import audit
from models.accounts.rbac import Permission
from models.codes import core as codes
from models.codes import issuance
from models.errors import DomainError, Reason
from ui.guards import requires
from ui.refusals import domain_error_text
from ui.web import redirect

NOT_FOUND = N_("codes.status.not-found")


class CodeStatus:
    """Look a code up by UUID; list the user's recent codes."""

    def __init__(self, pages, db, clock, expire_service):
        self._pages = pages
        self._db = db
        self._clock = clock
        self._expire = expire_service

    @requires(Permission.CODE_READ)
    def on_get(self, req, resp):
        """Render the lookup form (``?uuid=`` goes to that code's page)."""
        wanted = (req.get_param("uuid") or "").strip()
        if wanted:
            raise redirect(f"/codes/{wanted}")
        self._form(req, resp)

    @requires(Permission.CODE_READ)
    def on_get_code(self, req, resp, code_uuid):
        """Show one code (canonical lower-case UUID in the URL)."""
        try:
            canonical = str(uuidlib.UUID(code_uuid))
        except ValueError:
            return self._form(req, resp, status=422, error=req.context.t(NOT_FOUND))
        if canonical != code_uuid:
            raise redirect(f"/codes/{canonical}")
        ctx = req.context
        try:
            with self._db.connection() as conn:
                row = codes.code_status(conn, ctx.realm.id, canonical)
                names = issuance.issuer_names(conn, row)
        except DomainError:
            return self._form(req, resp, status=422, error=req.context.t(NOT_FOUND))
        self._show(req, resp, row, names)

    @requires(Permission.CODE_EXPIRE)
    def on_patch_expire(self, req, resp, code_uuid):
        """Expire the code now (claimed codes cannot be expired)."""
        ctx = req.context
        user = ctx.user
        try:
            with self._db.connection() as conn:
                if codes.code_status(conn, ctx.realm.id, code_uuid).claimed:
                    raise DomainError(
                        "code already claimed", reason=Reason.CODE_CLAIMED
                    )
            self._expire.expire(
                ctx.realm.id,
                audit.user_actor(user.id, user.name, user.email),
                code_uuid,
            )
        except DomainError as ex:
            if ex.status == 404:
                message = ctx.t(NOT_FOUND)
                ctx.session.flash("error", ctx.t("codes.status.form-failed", message))
                raise redirect("/codes/status") from ex
            message = ctx.t("codes.status.form-failed", domain_error_text(ctx, ex))
            ctx.session.flash("error", message)
            raise redirect(f"/codes/{code_uuid}") from ex
        ctx.session.flash("alert", ctx.t("codes.status.expired-flash"))
        # Post/redirect/get: a reload of the result must not expire again.
        raise redirect(f"/codes/{code_uuid}")

    def _show(self, req, resp, row, names):
        now = self._clock.now()
        self._pages.render(
            req,
            resp,
            "codes/show.mako",
            title=req.context.t("codes.status.title"),
            code=row,
            issuing_user=names[0],
            issuing_app=names[1],
            active=not row.claimed and row.expires_at > now,
            sms_later=row.long_expires_at > row.expires_at,
        )

    def _form(self, req, resp, *, status: int = 200, error: str | None = None):
        ctx = req.context
        with self._db.connection() as conn:
            recent = issuance.recent(conn, ctx.realm.id, ctx.user.id)
        self._pages.render(
            req,
            resp,
            "codes/status.mako",
            status=status,
            title=req.context.t("nav.check-code-status"),
            recent=recent,
            uuid_error=error,
        )
