"""``POST /api/batch-issue``: up to ten codes, partial success (protocol §5.2)."""

from __future__ import annotations

import falcon

from api.admin.wire import ISSUE_FIELDS, bind_or_400, issue_request, padding
from api.common.binding import ANY, OBJECT_LIST, BindError, match_fields
from models.apikeys import KeyType
from models.errors import DomainError, ErrorCode
from models.issue import Issuer, IssueService, check_maintenance
from models.settings import Settings

BATCH_FIELDS = {"codes": OBJECT_LIST, "padding": ANY}
_FAILED_ITEM = {"padding": "", "uuid": "", "code": "", "expiresAt": ""}


class BatchIssueResource:
    """Issue a batch of codes; each item succeeds or fails on its own."""

    api_key_types = frozenset({KeyType.ADMIN})

    def __init__(self, issuer: IssueService, settings: Settings):
        self._issuer = issuer
        self._settings = settings

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Issue every item; status and errorCode are the first failure's."""
        realm, app = req.context.realm, req.context.app
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
        results = self._issuer.issue_batch(
            realm, Issuer.for_api_key(app.id, app.name), requests
        )
        status, body = batch_response(results)
        resp.status = status
        resp.media = body


def batch_response(results) -> tuple[int, dict]:
    """Return (status, body) for per-item results (``DomainError`` = failed)."""
    body: dict = {"padding": padding()}
    codes, failures = [], [r for r in results if isinstance(r, DomainError)]
    for result in results:
        if isinstance(result, DomainError):
            codes.append(
                {
                    **_FAILED_ITEM,
                    "expiresAtTimestamp": 0,
                    "error": result.message,
                    "errorCode": str(result.code),
                }
            )
        else:
            codes.append({"padding": "", **result.wire()})
    if codes:
        body["codes"] = codes
    if not failures:
        return 200, body
    issued = len(results) - len(failures)
    text = f"Failed to issue {len(failures)} codes."
    if issued:
        text += f" Issued {issued} codes successfully."
    body["error"] = text + "See each error status in the codes array."
    if failures[0].code:
        body["errorCode"] = str(failures[0].code)
    return failures[0].status, body
