"""Issuing verification codes: the one use case behind every issuing path.

Three callers share it: the admin API (``Issuer.for_api_key``), the web UI
(``Issuer.for_user``) and self-initiated user reports
(``Issuer.for_user_report``). A call validates (``models.codes.issue_rules``),
takes the realm's daily quota, then writes the code together with its
counters and audit entry in one statement. With a phone, the code, the SMS
send and the counters share one transaction: a failed SMS removes the code
and only the provider-error counter is kept.

Example::

    issuing = IssueService(services)
    result = issuing.issue(realm, Issuer.for_api_key(app.id, app.name),
                           IssueRequest(test_type="confirmed", symptom_date=...))
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from db.queries.codes import issue_stats as stats_q
from db.queries.codes import issue_write as write_q
from db.queries.codes import user_report_rows as report_q
from db.ratelimit import Decision
from db.rows import Realm
from models.codes import core as codes
from models.codes import sms
from models.codes.issue_items import (
    Item,
    count_issued,
    count_sms,
    generate_failed,
    random_codes,
)
from models.codes.issue_rules import (
    Issuer,
    IssueRequest,
    IssueResult,
    Plan,
    batch_wire,
    check_maintenance,
    plan_issue,
    rfc1123,
    uuid_conflict,
)
from models.codes.quota import RealmQuota, build_quota
from models.errors import DomainError, ErrorCode, Reason
from models.realms.apikeys import StaleApiKey
from models.services import Services

log = logging.getLogger(__name__)

__all__ = ["BATCH_LIMIT", "IssueRequest", "IssueResult", "IssueService", "Issuer"]
__all__ += ["batch_wire", "check_maintenance", "rfc1123"]

PHONE_HMAC = "phone_number_database_hmac"
NONCE_BYTES = 256
BATCH_LIMIT = 10


class IssueService:
    """Issue codes for one process; build once and share across threads."""

    def __init__(
        self,
        services: Services,
        sms_client: sms.SmsClient | None = None,
        quota: RealmQuota | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        code_source: Callable[[Realm], tuple[str, str]] | None = None,
    ):
        self._svc = services
        cfg = services.settings.codes
        self._sms = sms_client or sms.SmsClient(cfg.sms_api_base_url, cfg.sms_timeout)
        self._quota = quota or build_quota(services)
        self._sleep = sleep
        self._new_codes = code_source or random_codes

    def issue(
        self,
        realm: Realm,
        issuer: Issuer,
        request: IssueRequest,
        key_version: str | None = None,
    ) -> IssueResult:
        """Issue one code (protocol §5.1); raise DomainError.

        ``key_version``: a cached API key's, checked inside the insert
        (StaleApiKey, nothing written, when the key changed); SMS codes and
        quota realms must have checked the key before.
        """
        check_maintenance(self._svc.settings, None if issuer.user_initiated else realm)
        now = self._svc.clock.now()
        with self._svc.db.connection() as conn:
            plan = self._plan(conn, realm, issuer, request, now, auto_label=True)
            decision = self._quota.take(realm, conn)
            item = Item(plan)
            if plan.phone:
                self._deliver(conn, realm, issuer, [item], now)
            else:
                # One statement: the key check, the code, its counters, audit.
                self._write(conn, realm, issuer, [item], now, key_version)
        if item.duplicate_report:
            return IssueResult(duplicate_report=True, quota=decision)
        if item.error is not None:
            raise item.error
        count_issued(realm, [item])
        return self._result(item, now, decision)

    def issue_batch(
        self,
        realm: Realm,
        issuer: Issuer,
        requests: list[IssueRequest],
        key_version: str | None = None,
    ) -> list[IssueResult | DomainError]:
        """Issue each request independently (protocol §5.2); SMS in parallel.

        ``key_version`` as for :meth:`issue` (codes without SMS, no quota).
        """
        check_maintenance(self._svc.settings)
        if not realm.allow_bulk_upload:
            raise DomainError(
                "bulk issuing is not enabled on this realm",
                reason=Reason.BULK_DISABLED,
            )
        if len(requests) > BATCH_LIMIT:
            raise DomainError(
                f"batch size limit [{BATCH_LIMIT}] exceeded",
                reason=Reason.BATCH_TOO_LARGE,
                params={"limit": BATCH_LIMIT},
            )
        now = self._svc.clock.now()
        with self._svc.db.connection() as conn:
            staged = self._stage(conn, realm, issuer, requests, now)
            live = [item for item in staged if isinstance(item, Item)]
            if any(item.plan.phone for item in live):
                self._deliver(conn, realm, issuer, live, now)
            elif live:
                self._write(conn, realm, issuer, live, now, key_version)
        count_issued(realm, live)
        results: list[IssueResult | DomainError] = []
        for item in staged:
            if isinstance(item, DomainError):
                results.append(item)
            elif item.duplicate_report:
                results.append(
                    DomainError(
                        "phone number already used for a user report",
                        ErrorCode.USER_REPORT_TRY_LATER,
                        409,
                    )
                )
            else:
                results.append(item.error or self._result(item, now, None))
        return results

    def _stage(self, conn, realm, issuer, requests, now) -> list[Item | DomainError]:
        """Plan every item in order and take quota for each valid one."""
        staged: list[Item | DomainError] = []
        seen: set[str] = set()
        for request in requests:
            try:
                plan = self._plan(conn, realm, issuer, request, now, auto_label=False)
                # Items are issued in order: a UUID already used earlier in
                # this batch is a conflict, as if the earlier one were stored.
                if plan.canonical_uuid and plan.canonical_uuid in seen:
                    raise uuid_conflict(plan.uuid)
                self._quota.take(realm, conn)
                if plan.canonical_uuid:
                    seen.add(plan.canonical_uuid)
                staged.append(Item(plan))
            except DomainError as ex:
                staged.append(ex)
            except Exception:  # one broken item must not sink the batch
                log.exception("batch item failed for realm %s", realm.id)
                staged.append(generate_failed())
        return staged

    def _deliver(self, conn, realm, issuer, items: list[Item], now) -> None:
        """Store, compose and send in one transaction; failed sends are removed."""
        failed: list[Item] = []
        with conn.transaction():
            for item in items:
                if item.plan.is_user_report:
                    self._add_user_report(conn, issuer, item)
            self._write(conn, realm, issuer, items, now)
            for item in items:
                if item.code_id is None and item.report_id is not None:
                    # No code was stored: the phone must stay free to report.
                    report_q.delete_user_report(conn, report_id=item.report_id)
            stored = [i for i in items if i.code_id is not None]
            for item in stored:
                self._compose(item, now)
            to_send = [
                i for i in stored if i.plan.phone and not i.plan.only_generate_sms
            ]
            to_send = [i for i in to_send if i.error is None]
            if len(to_send) == 1:
                self._send(to_send[0])
            elif to_send:
                with ThreadPoolExecutor(max_workers=len(to_send)) as pool:
                    list(pool.map(self._send, to_send))
            failed = [i for i in stored if i.error is not None]
            count_sms(realm, to_send)
            issuing = self._issuing(realm, issuer, now)
            write_q.delete_codes(conn, [i.code_id for i in failed])
            write_q.record_issued(
                conn,
                issuing,
                [i.code_id for i in stored if i.error is None and i.plan.phone],
            )
        for item in failed:
            provider_code = getattr(item.error, "provider_code", "")
            if provider_code:
                stats_q.count_sms_error(
                    conn,
                    day=now.astimezone(dt.UTC).date(),
                    realm_id=realm.id,
                    error_code=provider_code,
                )

    def _add_user_report(self, conn, issuer: Issuer, item: Item) -> None:
        plan = item.plan
        if issuer.user_initiated and len(issuer.nonce) != NONCE_BYTES:
            item.error = DomainError("nonce must be 256 bytes", ErrorCode.MISSING_NONCE)
            return
        hashes = self._svc.secrets.hmac_all(conn, PHONE_HMAC, plan.phone)
        report_id = None
        if not report_q.user_report_exists(conn, phone_hashes=hashes):
            report_id = report_q.insert_user_report(
                conn,
                phone_hash=hashes[0],
                nonce=base64.b64encode(issuer.nonce or b"").decode(),
                nonce_required=issuer.user_initiated,
            )
        # None: the phone already reported (or a concurrent report won).
        item.report_id = report_id
        item.duplicate_report = report_id is None

    def _write(self, conn, realm, issuer, items, now, key_version=None) -> None:
        """Insert the items' codes, regenerating codes that collided."""
        secrets = self._svc.secrets
        issuing = self._issuing(realm, issuer, now)
        pending = [i for i in items if i.error is None and not i.duplicate_report]
        retries = self._svc.settings.codes.collision_retry_count
        for attempt in range(retries + 1):
            inputs, seen = [], set()
            for item in pending:
                while True:
                    item.code, item.long_code = self._new_codes(realm)
                    if item.code not in seen and item.long_code not in seen:
                        seen.update((item.code, item.long_code))
                        break
                inputs.append(self._input(conn, secrets, item, now))
            current, stored = write_q.insert_codes(conn, issuing, inputs, key_version)
            if not current:
                raise StaleApiKey()
            key_version = None
            retry = []
            for index, item in enumerate(pending):
                if index in stored:
                    item.code_id, row_uuid = stored[index]
                    item.uuid = item.plan.uuid or str(row_uuid)
                    continue
                owner = (
                    write_q.uuid_owner(conn, item.plan.canonical_uuid)
                    if item.plan.canonical_uuid
                    else None
                )
                if owner == realm.id:
                    item.error = uuid_conflict(item.plan.uuid)
                elif owner is not None:
                    # A UUID of another realm must not be revealed.
                    item.error = generate_failed()
                else:
                    retry.append(item)
            pending = retry
            if not pending:
                return
            if attempt < retries:
                self._sleep(0.05)
        for item in pending:
            item.error = generate_failed()

    def _input(self, conn, secrets, item: Item, now) -> write_q.CodeInput:
        plan = item.plan
        return write_q.CodeInput(
            code=secrets.hmac_first(conn, codes.CODE_HMAC, item.code),
            long_code=secrets.hmac_first(conn, codes.CODE_HMAC, item.long_code),
            uuid=plan.canonical_uuid,
            test_type=plan.test_type,
            symptom_date=plan.symptom_date,
            test_date=plan.test_date,
            expires_at=now + dt.timedelta(seconds=plan.short_ttl),
            long_expires_at=now + dt.timedelta(seconds=plan.long_ttl),
            external_issuer_id=plan.external_issuer_id,
            user_report_id=item.report_id,
            # With a phone, counting waits for the SMS outcome.
            record=not plan.phone,
        )

    def _plan(self, conn, realm, issuer, request, now, *, auto_label) -> Plan:
        return plan_issue(
            conn,
            settings=self._svc.settings,
            envelope=self._svc.envelope,
            keystore=self._svc.keystore,
            realm=realm,
            request=request,
            now=now,
            user_initiated=issuer.user_initiated,
            auto_user_report_label=auto_label,
        )

    def _compose(self, item: Item, now: dt.datetime) -> None:
        plan = item.plan
        text = sms.render_sms(
            plan.template,
            code=item.code,
            long_code=item.long_code,
            region_code=plan.region_code,
            short_ttl=plan.short_ttl,
            long_ttl=plan.long_ttl,
            enx_redirect_domain=self._svc.settings.codes.enx_redirect_domain,
        )
        if plan.signer is not None:
            kid, sign = plan.signer
            try:
                text = sms.sign_sms(
                    text,
                    phone=plan.phone,
                    at=now,
                    purpose=sms.signing_purpose(plan.test_type),
                    kid=kid,
                    sign=sign,
                )
            except Exception as ex:  # never send an unsigned or empty message
                log.error("sms signing failed: %s", ex)
                item.error = DomainError(
                    "failed to sign sms", ErrorCode.SMS_FAILURE, 500
                )
        item.message = text

    def _send(self, item: Item) -> None:
        plan = item.plan
        try:
            self._sms.send(
                plan.provider,
                to=plan.phone,
                body=item.message,
                sender=plan.provider.sender(plan.is_user_report),
            )
        except sms.SmsSendError as ex:
            item.error = ex

    def _issuing(self, realm: Realm, issuer: Issuer, now) -> write_q.Issuing:
        return write_q.Issuing(
            realm_id=realm.id,
            app_id=issuer.app_id,
            user_id=issuer.user_id,
            actor_id=issuer.actor.id,
            actor_display=issuer.actor.display,
            day=now.astimezone(dt.UTC).date(),
            now=now,
        )

    @staticmethod
    def _result(item: Item, now, decision: Decision | None) -> IssueResult:
        plan = item.plan
        return IssueResult(
            uuid=item.uuid,
            code=item.code,
            expires_at=now + dt.timedelta(seconds=plan.short_ttl),
            long_expires_at=now + dt.timedelta(seconds=plan.long_ttl),
            generated_sms=item.message if plan.only_generate_sms else "",
            phone=plan.phone if plan.only_generate_sms else "",
            quota=decision,
        )
