"""``POST /api/issue``: issue one code for the key's realm (protocol §5.1)."""

from __future__ import annotations

import falcon

from api.admin.wire import (
    ISSUE_FIELDS,
    bind_or_400,
    issue_request,
    padding,
    set_quota_headers,
)
from api.common.errors import internal_error, log_hidden_error
from models.codes.issue import Issuer, IssueService, check_maintenance
from models.codes.quota import QuotaExceeded
from models.errors import DomainError
from models.realms.apikeys import KeyType
from models.settings import Settings


class IssueResource:
    """Issue a verification code, optionally delivered by SMS."""

    api_key_types = frozenset({KeyType.ADMIN})

    def __init__(self, issuer: IssueService, settings: Settings):
        self._issuer = issuer
        self._settings = settings

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Validate, issue, and answer with the IssueCodeResponse."""
        realm, app = req.context.realm, req.context.app
        try:
            check_maintenance(self._settings, realm)
            request = issue_request(bind_or_400(req, ISSUE_FIELDS))
            result = self._issuer.issue(
                realm, Issuer.for_api_key(app.id, app.name), request
            )
        except QuotaExceeded as ex:
            set_quota_headers(resp, ex.decision)
            raise
        except DomainError as ex:
            if ex.status != 500:
                raise
            log_hidden_error(req, ex.message)
            internal_error(req, resp)
            return
        set_quota_headers(resp, result.quota)
        resp.media = {"padding": padding(), **result.wire()}
