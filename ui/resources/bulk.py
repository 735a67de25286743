"""``/codes/bulk-issue`` page and ``POST /codes/batch-issue`` (§5.1)."""

from __future__ import annotations

import falcon

from api.common.i18n import N_
from models.accounts.rbac import Permission
from models.codes import issuance
from models.errors import DomainError
from ui.guards import requires
from ui.resources.codes import (
    error_json,
    issued_json,
    issuer,
    json_body,
    request_from_json,
)
from ui.web import redirect


class BulkIssue:
    """The CSV upload page (parsing and batching happen in the browser)."""

    def __init__(self, pages, db, envelope):
        self._pages = pages
        self._db = db
        self._envelope = envelope

    @requires(Permission.CODE_BULK_ISSUE)
    def on_get(self, req, resp):
        """Render the upload form, or refuse when the realm disallows it."""
        ctx = req.context
        if not ctx.realm.allow_bulk_upload:
            ctx.session.flash("error", ctx.t("codes.bulk-issue.not-enabled"))
            raise redirect("/")
        with self._db.connection() as conn:
            has_sms = issuance.sms_available(conn, self._envelope, ctx.realm)
        if not has_sms:
            ctx.session.flash("error", ctx.t("codes.bulk-issue.no-sms-provider"))
        self._pages.render(
            req,
            resp,
            "codes/bulk_issue.mako",
            title=ctx.t("codes.bulk-issue.title"),
            has_sms=has_sms,
            templates=sorted((ctx.realm.alternate_sms_templates or {}).keys()),
        )


class BatchIssue:
    """Issue up to ten codes per request, each independently."""

    def __init__(self, issue_service):
        self._issue = issue_service

    @requires(Permission.CODE_BULK_ISSUE)
    def on_post(self, req, resp):
        """Answer per-entry results in request order (§5.1)."""
        entries = json_body(req).get("codes")
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) for e in entries
        ):
            raise falcon.HTTPBadRequest(description="codes must be a list")
        try:
            results = self._issue.issue_batch(
                req.context.realm,
                issuer(req),
                [request_from_json(e) for e in entries],
            )
        except DomainError as ex:
            resp.status = ex.status
            resp.media = error_json(req, ex)
            return
        out, failures = [], []
        for result in results:
            if isinstance(result, DomainError):
                failures.append(result)
                out.append(error_json(req, result))
            else:
                out.append(issued_json(result))
        resp.media = {"codes": out}
        if failures:
            first = failures[0]
            resp.status = first.status
            resp.media.update(
                error=_summary(req.context, len(failures), len(results)),
                errorCode=str(first.code),
            )


def _summary(ctx, failed: int, total: int) -> str:
    """Return the batch's top-level error; English word for word as §5.1 has it."""
    issued = total - failed
    translated = ctx.translated(
        N_("codes.bulk-issue.failed-some"), failed=failed, issued=issued
    )
    if translated:
        return translated
    middle = f" Issued {issued} codes successfully." if issued else ""
    # Sic: no space before "See", as in the original.
    return (
        f"Failed to issue {failed} codes.{middle}"
        "See each error status in the codes array."
    )
