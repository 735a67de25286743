"""Exchange a verification code for a verification token (protocol §4.1).

The common case (a plain code, valid now) is two round trips without an
explicit transaction: an unlocked read finds the code, its token is signed,
and one statement claims the code (re-checking it), writes the token and
counts the claim. Everything else (refusals, user-report codes, a lost
race) takes a transaction with a locking read that names the reason. Either
way the token is signed before anything is written: if signing fails, the
code can be presented again.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from dataclasses import dataclass

import psycopg

from db.pool import DatabaseUnavailable, is_outage
from db.queries.codes import claims as claims_q
from db.queries.codes import core as codes_q
from db.queries.codes import user_reports as reports_q
from models.codes.core import CODE_HMAC, expand_accept, find_code_for_claim
from models.codes.issue_rules import USER_REPORT
from models.codes.tokens import (
    SigningKey,
    Subject,
    TokenKeys,
    new_token_id,
    sign_jwt,
    utc_day,
)
from models.crypto import tolerant_b64decode
from models.errors import DomainError, ErrorCode
from models.realms.apikeys import StaleApiKey
from models.secrets import Secrets
from models.settings import TokenSettings
from models.stats import counters as stats
from models.telemetry import metrics

log = logging.getLogger(__name__)


def ensure_not_in_maintenance(maintenance_mode: bool) -> None:
    """Refuse writes while the server is read-only (protocol §1.7)."""
    if maintenance_mode:
        raise DomainError(
            "server is read-only for maintenance", ErrorCode.MAINTENANCE_MODE, 429
        )


def decode_nonce(nonce: str) -> bytes:
    """Tolerant-base64-decode a nonce; an empty string is zero bytes."""
    try:
        return tolerant_b64decode(nonce or "")
    except ValueError as ex:
        raise DomainError(
            f"failed to decode nonce: {ex}", ErrorCode.UNPARSABLE_REQUEST
        ) from None


@dataclass(frozen=True)
class VerifyRequest:
    """A bound ``/api/verify`` body plus the caller's User-Agent."""

    code: str
    accept: list[str] | None = None
    nonce: str = ""
    user_agent: str = ""


@dataclass(frozen=True)
class VerifiedCode:
    """A claimed code's token and the metadata echoed to the device."""

    token: str
    test_type: str
    symptom_date: dt.date | None
    test_date: dt.date | None


class _Refused(Exception):
    """A claim refusal, with whether (and how) the counters record it."""

    def __init__(self, error: DomainError, counted: bool = True, bad_nonce=False):
        super().__init__(error.message)
        self.error = error
        self.counted = counted
        self.bad_nonce = bad_nonce


def _database_failure(conn, ex: psycopg.Error) -> Exception:
    """Map a database error of a claim to the exception to raise."""
    if is_outage(conn, ex):
        # The server went away: nothing was claimed; 503, try again.
        return DatabaseUnavailable(str(ex))
    # Step 11: a database failure rolled everything back.
    log.error("verify failed in the database: %s", ex)
    return DomainError("internal error", ErrorCode.INTERNAL, 500)


def _invalid() -> DomainError:
    return DomainError("verification code invalid", ErrorCode.CODE_INVALID)


class Verifier:
    """The verify use case; one instance per process."""

    def __init__(
        self, secrets: Secrets, token_keys: TokenKeys, clock, settings: TokenSettings
    ):
        self._secrets = secrets
        self._keys = token_keys
        self._clock = clock
        self._settings = settings

    def verify(
        self,
        conn: psycopg.Connection,
        *,
        realm_id: int,
        app_id: int,
        request: VerifyRequest,
        key_version: str | None = None,
    ) -> VerifiedCode:
        """Claim the code once and return a signed verification token.

        With ``key_version`` (a cached API key's), the first read also checks
        the key is unchanged and raises StaleApiKey, claiming nothing, if not.
        """
        signing_key = self._keys.active(conn)
        accepted = expand_accept(request.accept)
        nonce = decode_nonce(request.nonce)
        now = self._clock.now()
        hmacs = self._secrets.hmac_all(conn, CODE_HMAC, request.code)
        try:
            verified = self._claim_plain_code(
                conn, signing_key, (realm_id, app_id, key_version), hmacs, accepted, now
            )
        except psycopg.Error as ex:
            raise _database_failure(conn, ex) from ex
        if verified is None:
            verified = self._claim_with_transaction(
                conn, signing_key, (realm_id, app_id), request, accepted, nonce, now
            )
        # Counted once the claim has committed.
        metrics.for_realm(metrics.CODES_CLAIMED, realm_id).inc()
        return verified

    def _claim_plain_code(
        self, conn, signing_key, caller, hmacs, accepted, now
    ) -> VerifiedCode | None:
        """The common case in two round trips and no explicit transaction.

        Find the code, sign its token, then claim it and write the token and
        counters in one statement; a signer failure writes nothing. None
        sends everything else (refusals, user-report codes, a lost race) to
        the locking path, which names the reason.
        """
        realm_id, app_id, key_version = caller
        key_ok, found = claims_q.find_claimable_code(
            conn,
            realm_id=realm_id,
            app_id=app_id,
            key_version=key_version,
            hmacs=hmacs,
            accepted=sorted(accepted),
            now=now,
        )
        if not key_ok:
            raise StaleApiKey()
        if found is None:
            return None
        row, long_matched = found
        token, verified = self._signed_token(signing_key, row, realm_id, app_id, now)
        if not claims_q.claim_code_with_token(
            conn, code_id=row.id, long_matched=long_matched, token=token
        ):
            return None
        return verified

    def _claim_with_transaction(
        self, conn, signing_key, caller, request, accepted, nonce, now
    ) -> VerifiedCode:
        """Lock the code, refuse with the reason or claim it, in one transaction."""
        realm_id, app_id = caller
        refused, verified = None, None
        try:
            with conn.transaction():
                try:
                    row = self._claim_with_checks(
                        conn, realm_id, request.code, accepted, nonce, now
                    )
                    verified = self._issue_token(
                        conn, signing_key, row, realm_id, app_id, now
                    )
                except _Refused as ex:
                    refused = ex
                    if ex.counted:
                        stats.code_invalid(
                            conn,
                            now=now,
                            realm_id=realm_id,
                            app_id=app_id,
                            os_kind=stats.detect_os(request.user_agent),
                            bad_nonce=ex.bad_nonce,
                        )
        except psycopg.Error as ex:
            raise _database_failure(conn, ex) from ex
        if verified is not None:
            return verified
        raise refused.error

    def _claim_with_checks(self, conn, realm_id, code, accepted, nonce, now):
        """Lock the code, refuse with the reason, or claim a user-report code."""
        found = find_code_for_claim(conn, self._secrets, realm_id, code)
        if found is None:
            raise _Refused(_invalid())
        row, long_matched = found
        expires_at = row.long_expires_at if long_matched else row.expires_at
        if expires_at <= now:
            raise _Refused(
                DomainError("verification code expired", ErrorCode.CODE_EXPIRED)
            )
        if row.claimed:
            raise _Refused(_invalid(), counted=False)
        if row.test_type not in accepted:
            raise _Refused(
                DomainError(
                    "verification code has unsupported test type",
                    ErrorCode.UNSUPPORTED_TEST_TYPE,
                    412,
                )
            )
        if row.user_report_id is not None:
            self._link_user_report(conn, row.user_report_id, nonce, now)
        if codes_q.mark_code_claimed(conn, code_id=row.id, now=now) != 1:
            raise _Refused(_invalid(), counted=False)  # unreachable under the lock
        return row

    @staticmethod
    def _link_user_report(conn, report_id: int, nonce: bytes, now) -> None:
        report = reports_q.lock_user_report(conn, report_id=report_id)
        if report is None:
            raise _Refused(_invalid())
        given = base64.b64encode(nonce).decode()
        if report.nonce_required and given != report.nonce:
            raise _Refused(_invalid(), bad_nonce=True)
        if report.code_claimed:
            raise _Refused(_invalid())
        reports_q.mark_user_report_claimed(conn, report_id=report_id, now=now)

    def _issue_token(self, conn, key, row, realm_id, app_id, now) -> VerifiedCode:
        token, verified = self._signed_token(key, row, realm_id, app_id, now)
        claims_q.insert_token_counting_claim(conn, token)
        return verified

    def _signed_token(self, key, row, realm_id, app_id, now):
        """Sign the token of ``row``; return (its row to write, the answer).

        Signing comes before any write: a signer failure raises here and the
        code stays claimable.
        """
        subject = Subject(
            row.test_type, utc_day(row.symptom_date), utc_day(row.test_date)
        )
        token_id = new_token_id()
        verified = self._sign(key, token_id, subject, now)
        age = max(0.0, (now - row.created_at).total_seconds())
        token = claims_q.NewToken(
            realm_id=realm_id,
            app_id=app_id,
            token_id=token_id,
            test_type=subject.test_type,
            symptom_date=subject.symptom_date,
            test_date=subject.test_date,
            expires_at=now + dt.timedelta(seconds=self._settings.token_duration),
            from_user_report=row.test_type == USER_REPORT,
            day=now.astimezone(dt.UTC).date(),
            age_seconds=int(age),
            age_buckets=stats.claim_age_buckets(age),
            now=now,
        )
        return token, verified

    def _sign(
        self, key: SigningKey, token_id: str, subject: Subject, now: dt.datetime
    ) -> VerifiedCode:
        issued = int(now.timestamp())
        claims = {
            "aud": self._settings.token_issuer,
            "exp": issued + int(self._settings.token_duration),
            "jti": token_id,
            "iat": issued,
            "iss": self._settings.token_issuer,
            "sub": subject.format(),
        }
        try:
            token = sign_jwt(key, claims)
        except Exception as ex:  # any signer failure: roll the claim back
            # [PARITY] the original answers 400 with internal_server_error.
            raise DomainError(
                f"failed to sign token: {ex}", ErrorCode.INTERNAL, 400
            ) from ex
        return VerifiedCode(
            token, subject.test_type, subject.symptom_date, subject.test_date
        )
