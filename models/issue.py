"""Issuing verification codes: the one use case behind every issuing path.

Three callers share it: the admin API (an API key), the web UI (a signed-in
user) and self-initiated user reports (a device key relaying a nonce).
Each call validates (``models.issue_rules``), takes the realm's quota, then
in ONE transaction stores the code (and user report), sends or builds the
SMS, and writes the stats counters and the audit entry. A failed SMS rolls
the code back (a savepoint) and leaves only the provider-error counter.

Example::

    issuer = IssueService(services)
    result = issuer.issue(realm, Issuer.for_api_key(app.id, app.name),
                          IssueRequest(test_type="confirmed", symptom_date=...))
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg

from db.queries import codes as code_q
from db.queries import issue_stats as stats_q
from db.queries import user_report_rows as report_q
from db.quota import MemoryQuotaStore, RedisQuotaStore
from db.ratelimit import Decision
from db.rows import Realm
from models import audit, codes, sms
from models.errors import DomainError, ErrorCode
from models.issue_rules import (
    IssueRequest,
    Plan,
    check_maintenance,
    plan_issue,
    uuid_conflict,
)
from models.quota import RealmQuota
from models.services import Services

log = logging.getLogger(__name__)

__all__ = ["IssueRequest", "IssueResult", "IssueService", "Issuer", "check_maintenance"]

PHONE_HMAC = "phone_number_database_hmac"
NONCE_BYTES = 256
BATCH_LIMIT = 10


@dataclass(frozen=True)
class Issuer:
    """Who issues: an API key, a signed-in user, or a user report."""

    actor: audit.Actor
    app_id: int | None = None
    user_id: int | None = None
    nonce: bytes | None = None  # only for self-initiated user reports

    @classmethod
    def for_api_key(cls, app_id: int, name: str) -> Issuer:
        """Return the issuer for an ADMIN API key."""
        return cls(audit.api_key_actor(app_id, name), app_id=app_id)

    @classmethod
    def for_user(cls, user_id: int, name: str, email: str) -> Issuer:
        """Return the issuer for a signed-in case worker."""
        return cls(audit.user_actor(user_id, name, email), user_id=user_id)

    @classmethod
    def for_user_report(cls, app_id: int, name: str, nonce: bytes) -> Issuer:
        """Return the issuer for a self-initiated report relayed by a device key."""
        return cls(audit.api_key_actor(app_id, name), app_id=app_id, nonce=nonce)

    @property
    def user_initiated(self) -> bool:
        """Say whether a person reported themselves (nonce-bound code)."""
        return self.nonce is not None


@dataclass(frozen=True)
class IssueResult:
    """What an issue returns; ``duplicate_report`` means "silently done"."""

    uuid: str = ""
    code: str = ""
    expires_at: dt.datetime | None = None
    long_expires_at: dt.datetime | None = None
    generated_sms: str = ""
    phone: str = ""
    duplicate_report: bool = False
    quota: Decision | None = None

    def wire(self) -> dict:
        """Return the IssueCodeResponse fields (without ``padding``)."""
        if self.expires_at is None:
            return {"expiresAt": "", "expiresAtTimestamp": 0}
        out = {
            "uuid": self.uuid,
            "code": self.code,
            "expiresAt": rfc1123(self.expires_at),
            "expiresAtTimestamp": int(self.expires_at.timestamp()),
            "longExpiresAt": rfc1123(self.long_expires_at),
            "longExpiresAtTimestamp": int(self.long_expires_at.timestamp()),
        }
        if self.generated_sms:
            out["generatedSMS"] = self.generated_sms
            out["phone"] = self.phone
        return out


def rfc1123(at: dt.datetime) -> str:
    """Format a time as ``Mon, 02 Jan 2006 15:04:05 UTC``."""
    return at.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S UTC")


@dataclass
class _Stored:
    plan: Plan
    issued: codes.IssuedCode | None  # None for a duplicate user report
    report_id: int | None
    message: str = ""
    error: DomainError | None = None


def build_quota(services: Services) -> RealmQuota:
    """Return the realm quota over Redis when configured, else this process."""
    with services.db.connection() as conn:
        key = services.secrets.keys(conn, "rate_limit_hmac")[0]
    if services.redis is not None:
        store = RedisQuotaStore(services.redis)
    else:
        store = MemoryQuotaStore()
    return RealmQuota(store, key, services.settings.codes.enforce_realm_quotas)


class IssueService:
    """Issue codes for one process; build once and share across threads."""

    def __init__(
        self,
        services: Services,
        sms_client: sms.SmsClient | None = None,
        quota: RealmQuota | None = None,
    ):
        self._svc = services
        cfg = services.settings.codes
        self._sms = sms_client or sms.SmsClient(cfg.sms_api_base_url, cfg.sms_timeout)
        self._quota = quota or build_quota(services)

    def issue(self, realm: Realm, issuer: Issuer, request: IssueRequest) -> IssueResult:
        """Issue one code (steps 0-16 of protocol §5.1); raise DomainError."""
        check_maintenance(self._svc.settings, None if issuer.user_initiated else realm)
        now = self._svc.clock.now()
        with self._svc.db.connection() as conn:
            plan = self._plan(conn, realm, issuer, request, now, auto_label=True)
            decision = self._quota.take(realm)
            failure: DomainError | None = None
            with conn.transaction():
                try:
                    with conn.transaction():
                        stored = self._store(conn, realm, issuer, plan, now)
                        if stored.issued is None:
                            return IssueResult(duplicate_report=True, quota=decision)
                        self._compose(stored, now)
                        if plan.phone and not plan.only_generate_sms:
                            self._send(stored)
                            if stored.error is not None:
                                raise stored.error
                        self._record(conn, realm, issuer, stored, now)
                except sms.SmsSendError as ex:
                    self._count_sms_error(conn, realm, ex, now)
                    failure = ex
            if failure is not None:
                raise failure
        return _result(stored, decision)

    def issue_batch(
        self, realm: Realm, issuer: Issuer, requests: list[IssueRequest]
    ) -> list[IssueResult | DomainError]:
        """Issue each request independently (protocol §5.2); SMS in parallel."""
        check_maintenance(self._svc.settings)
        if not realm.allow_bulk_upload:
            raise DomainError("bulk issuing is not enabled on this realm")
        if len(requests) > BATCH_LIMIT:
            raise DomainError(f"batch size limit [{BATCH_LIMIT}] exceeded")
        now = self._svc.clock.now()
        with self._svc.db.connection() as conn, conn.transaction():
            staged = [self._stage(conn, realm, issuer, req, now) for req in requests]
            to_send = [
                item
                for item in staged
                if isinstance(item, _Stored)
                and not item.plan.only_generate_sms
                and item.plan.phone
            ]
            if to_send:
                with ThreadPoolExecutor(max_workers=len(to_send)) as pool:
                    list(pool.map(self._send, to_send))
            return [self._finish(conn, realm, issuer, item, now) for item in staged]

    def _stage(self, conn, realm, issuer, request, now) -> _Stored | DomainError:
        try:
            with conn.transaction():
                plan = self._plan(conn, realm, issuer, request, now, auto_label=False)
                self._quota.take(realm)
                stored = self._store(conn, realm, issuer, plan, now)
                if stored.issued is None:
                    raise DomainError(
                        "phone number already used for a user report",
                        ErrorCode.USER_REPORT_TRY_LATER,
                        409,
                    )
                self._compose(stored, now)
                return stored
        except DomainError as ex:
            return ex
        except Exception:  # one broken item must not sink the batch
            log.exception("batch item failed for realm %s", realm.id)
            return _generate_failed()

    def _finish(self, conn, realm, issuer, item, now) -> IssueResult | DomainError:
        if isinstance(item, DomainError):
            return item
        if item.error is not None:
            with conn.transaction():
                code_q.delete_code(conn, code_id=item.issued.id)
                if item.report_id is not None:
                    report_q.delete_user_report(conn, report_id=item.report_id)
                self._count_sms_error(conn, realm, item.error, now)
            return item.error
        with conn.transaction():
            self._record(conn, realm, issuer, item, now)
        return _result(item, None)

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

    def _store(self, conn, realm: Realm, issuer: Issuer, plan: Plan, now) -> _Stored:
        report_id = None
        if plan.is_user_report:
            if issuer.user_initiated and len(issuer.nonce) != NONCE_BYTES:
                raise DomainError("nonce must be 256 bytes", ErrorCode.MISSING_NONCE)
            secrets = self._svc.secrets
            hashes = secrets.hmac_all(conn, PHONE_HMAC, plan.phone)
            if report_q.user_report_exists(conn, phone_hashes=hashes):
                return _Stored(plan, None, None)
            report_id = report_q.insert_user_report(
                conn,
                phone_hash=hashes[0],
                nonce=base64.b64encode(issuer.nonce or b"").decode(),
                nonce_required=issuer.user_initiated,
            )
            if report_id is None:  # a concurrent report for the same phone won
                return _Stored(plan, None, None)
        new = codes.NewCode(
            realm_id=realm.id,
            test_type=plan.test_type,
            symptom_date=plan.symptom_date,
            test_date=plan.test_date,
            short_length=realm.code_length,
            long_length=realm.long_code_length,
            short_ttl=plan.short_ttl,
            long_ttl=plan.long_ttl,
            uuid=plan.canonical_uuid,
            issuing_user_id=issuer.user_id,
            issuing_app_id=issuer.app_id,
            issuing_external_id=plan.external_issuer_id,
            user_report_id=report_id,
        )
        try:
            issued = codes.insert_code(
                conn,
                self._svc.secrets,
                new,
                now,
                retries=self._svc.settings.codes.collision_retry_count,
            )
        except DomainError as ex:
            if ex.code != ErrorCode.UUID_ALREADY_EXISTS:
                raise
            # Another request took the UUID meanwhile: 409 if it is ours, but
            # a UUID of another realm must not be revealed (500, as the original).
            if code_q.get_code_by_uuid(conn, realm_id=realm.id, uuid=new.uuid):
                raise uuid_conflict(plan.uuid) from None
            raise _generate_failed() from None
        except psycopg.Error:
            log.exception("could not store a code for realm %s", realm.id)
            raise _generate_failed() from None
        return _Stored(plan, issued, report_id)

    def _compose(self, stored: _Stored, now: dt.datetime) -> None:
        plan = stored.plan
        if not plan.phone:
            return
        text = sms.render_sms(
            plan.template,
            code=stored.issued.code,
            long_code=stored.issued.long_code,
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
                raise DomainError(
                    "failed to sign sms", ErrorCode.SMS_FAILURE, 500
                ) from None
        stored.message = text

    def _send(self, stored: _Stored) -> None:
        plan = stored.plan
        try:
            self._sms.send(
                plan.provider,
                to=plan.phone,
                body=stored.message,
                sender=plan.provider.sender(plan.is_user_report),
            )
        except sms.SmsSendError as ex:
            stored.error = ex

    def _record(self, conn, realm: Realm, issuer: Issuer, stored: _Stored, now):
        day = now.astimezone(dt.UTC).date()
        plan = stored.plan
        stats_q.count_realm_issue(
            conn, day=day, realm_id=realm.id, user_reports=int(plan.is_user_report)
        )
        if issuer.app_id is not None:
            stats_q.count_app_issue(conn, day=day, app_id=issuer.app_id)
        if issuer.user_id is not None:
            stats_q.count_user_issue(
                conn, day=day, realm_id=realm.id, user_id=issuer.user_id
            )
        if plan.external_issuer_id:
            stats_q.count_external_issue(
                conn, day=day, realm_id=realm.id, issuer_id=plan.external_issuer_id
            )
        audit.record(
            conn,
            realm_id=realm.id,
            actor=issuer.actor,
            action="issued verification code",
            target_id=f"verification_codes:{stored.issued.id}",
            target_display=stored.issued.uuid,
        )

    def _count_sms_error(self, conn, realm: Realm, ex: DomainError, now) -> None:
        code = getattr(ex, "provider_code", "")
        if code:
            stats_q.count_sms_error(
                conn,
                day=now.astimezone(dt.UTC).date(),
                realm_id=realm.id,
                error_code=code,
            )


def _generate_failed() -> DomainError:
    return DomainError(
        "failed to generate otp code, please try again", ErrorCode.INTERNAL, 500
    )


def _result(stored: _Stored, decision: Decision | None) -> IssueResult:
    issued, plan = stored.issued, stored.plan
    return IssueResult(
        uuid=plan.uuid or issued.uuid,
        code=issued.code,
        expires_at=issued.expires_at,
        long_expires_at=issued.long_expires_at,
        generated_sms=stored.message if plan.only_generate_sms else "",
        phone=plan.phone if plan.only_generate_sms else "",
        quota=decision,
    )
