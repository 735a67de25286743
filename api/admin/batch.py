"""``POST /api/batch-issue``: up to ten codes, partial success (protocol §5.2)."""

from __future__ import annotations

import falcon

from api.admin.wire import (
    ISSUE_FIELDS,
    bind_or_400,
    check_key_before_effects,
    issue_request,
    key_issuer,
    padding,
)
from api.common.auth import key_checked_on_error, with_current_key
from api.common.binding import ANY, OBJECT_LIST, BindError, match_fields
from models.codes.issue import (
    IssueResult,
    IssueService,
    batch_wire,
    check_maintenance,
)
from models.errors import DomainError, ErrorCode
from models.realms.apikeys import KeyType
from models.settings import Settings

BATCH_FIELDS = {"codes": OBJECT_LIST, "padding": ANY}


class BatchIssueResource:
    """Issue a batch of codes; each item succeeds or fails on its own."""

    api_key_types = frozenset({KeyType.ADMIN})
    checks_api_key_version = True

    def __init__(self, issuer: IssueService, settings: Settings):
        self._issuer = issuer
        self._settings = settings

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Issue every item; status and errorCode are the first failure's."""
        with key_checked_on_error(req):
            realm = req.context.realm
            check_maintenance(self._settings)
            if not realm.allow_bulk_upload:
                raise DomainError("bulk issuing is not enabled on this realm")
            items = bind_or_400(req, BATCH_FIELDS).get("codes") or []
            try:
                requests = [
                    issue_request(match_fields(i or [], ISSUE_FIELDS)) for i in items
                ]
            except BindError as ex:
                raise DomainError(str(ex), ErrorCode.UNPARSABLE_REQUEST) from None
            check_key_before_effects(req, requests)

            def issue(version):
                # A refresh (changed key) may bring a new name and realm.
                results = self._issuer.issue_batch(
                    req.context.realm, key_issuer(req), requests, version
                )
                if version is not None and not any(
                    isinstance(r, IssueResult) for r in results
                ):
                    # Nothing was inserted, so nothing checked the key: a
                    # disabled key must not learn how its items would fare.
                    req.context.confirm_api_key()
                return results

            results = with_current_key(req, issue)
        status, body = batch_wire(results)
        resp.status = status
        resp.media = {"padding": padding(), **body}
