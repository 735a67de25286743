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
from api.common.auth import key_checked_on_error, with_current_key
from api.common.errors import internal_error, log_hidden_error
from models.codes.issue import Issuer, IssueService, check_maintenance
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
                if request.phone or realm.abuse_prevention_enabled:
                    # The SMS and the quota act before the insert that would
                    # check the cached key: check it now.
                    req.context.confirm_api_key()

                def issue(version):
                    # After a fresh lookup the key (its name) and realm may differ.
                    app, fresh_realm = req.context.app, req.context.realm
                    issuer = Issuer.for_api_key(app.id, app.name)
                    return self._issuer.issue(fresh_realm, issuer, request, version)

                result = with_current_key(req, issue)
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
