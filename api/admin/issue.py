"""``POST /api/issue``: issue one code for the key's realm (protocol §5.1)."""

from __future__ import annotations

import falcon

from api.admin.wire import (
    ISSUE_FIELDS,
    bind_or_400,
    check_key_before_effects,
    issue_request,
    key_issuer,
    padding,
    set_quota_headers,
)
from api.common.auth import key_checked_on_error, with_current_key
from api.common.errors import internal_error, log_hidden_error
from models.codes.issue import IssueService, check_maintenance
from models.codes.quota import QuotaExceeded
from models.errors import DomainError
from models.realms.apikeys import KeyType
from models.settings import Settings


class IssueResource:
    """Issue a verification code, optionally delivered by SMS."""

    api_key_types = frozenset({KeyType.ADMIN})
    checks_api_key_version = True

    def __init__(self, issuer: IssueService, settings: Settings):
        self._issuer = issuer
        self._settings = settings

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Validate, issue, and answer with the IssueCodeResponse."""
        realm = req.context.realm
        try:
            with key_checked_on_error(req):
                check_maintenance(self._settings, realm)
                request = issue_request(bind_or_400(req, ISSUE_FIELDS))
                check_key_before_effects(req, [request])
                # A refresh (changed key) may bring a new name and realm.
                result = with_current_key(
                    req,
                    lambda version: self._issuer.issue(
                        req.context.realm, key_issuer(req), request, version
                    ),
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
