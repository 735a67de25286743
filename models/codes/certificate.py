"""Exchange a verification token and a TEK HMAC for a certificate (protocol §4.2, §7).

The certificate is signed before the token is claimed; the claim and its
counters are one transaction, so a failed claim leaves nothing behind and a
failed signature leaves the token usable.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import psycopg

from db.keystore import KeyStore
from db.pool import DatabaseUnavailable, is_outage
from db.queries.codes import claims as claims_q
from db.queries.codes import tokens as tokens_q
from db.queries.keys import bookkeeping as keys_q
from db.queries.keys import signing_keys as realm_keys_q
from db.rows import Realm
from models.codes.tokens import (
    Memo,
    SigningKey,
    Subject,
    TokenKeys,
    parse_jws,
    parse_subject,
    sign_jwt,
    utc_day,
)
from models.crypto import tolerant_b64decode
from models.errors import DomainError, ErrorCode
from models.realms.apikeys import StaleApiKey
from models.settings import TokenSettings
from models.stats import counters as stats
from models.telemetry import metrics

log = logging.getLogger(__name__)

SIGNER_CACHE_SECONDS = 60.0  # CERTIFICATE_SIGNER_CACHE_DURATION default
TEK_HMAC_LENGTH = 32


@dataclass(frozen=True)
class CertificateSigner:
    """A loaded certificate key with the claims it signs under."""

    key: SigningKey
    issuer: str
    audience: str
    duration: float  # seconds


@dataclass(frozen=True)
class VerifiedToken:
    """A verification token whose signature and claims were checked."""

    token_id: str
    subject: Subject


def symptom_onset_interval(day: dt.date) -> int:
    """Return the 10-minute interval number of ``day`` at 00:00 UTC."""
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return int(midnight.timestamp()) // 600


def _token_invalid(message: str) -> DomainError:
    return DomainError(message, ErrorCode.TOKEN_INVALID)


def _time_claim(claims: dict, name: str) -> int:
    value = claims.get(name, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _token_invalid("invalid verification token")
    return int(value)


def check_token(
    conn: psycopg.Connection, token_keys: TokenKeys, issuer: str, token: str, now
) -> VerifiedToken:
    """Verify signature, times, issuer/audience and subject of a token."""
    jws = parse_jws(token)
    public_key = token_keys.public_key(conn, jws.kid) if jws and jws.kid else None
    if public_key is None or not jws.verify(public_key):
        raise _token_invalid("invalid verification token")
    claims = jws.claims
    for name in ("iss", "aud", "sub", "jti"):
        if not isinstance(claims.get(name, ""), str):
            raise _token_invalid("invalid verification token")
    unix_now = int(now.timestamp())
    exp, iat, nbf = (_time_claim(claims, n) for n in ("exp", "iat", "nbf"))
    # Each time claim is checked only when set, with no leeway (as the original).
    if (exp and unix_now > exp) or (iat and unix_now < iat) or (nbf and unix_now < nbf):
        raise _token_invalid("verification token expired")
    if claims.get("iss") != issuer or claims.get("aud") != issuer:
        raise _token_invalid("verification token not valid")
    try:
        subject = parse_subject(claims.get("sub", ""))
    except ValueError as ex:
        raise _token_invalid(f"invalid subject: {ex}") from None
    return VerifiedToken(claims.get("jti", ""), subject)


def check_tek_hmac(ekeyhmac: str) -> None:
    """Require a base64 value that decodes to exactly 32 bytes."""
    try:
        raw = tolerant_b64decode(ekeyhmac or "")
    except ValueError as ex:
        raise DomainError(
            f"exposure key HMAC is not a valid base64: {ex}", ErrorCode.HMAC_INVALID
        ) from None
    if len(raw) != TEK_HMAC_LENGTH:
        raise DomainError(
            "exposure key HMAC is not the correct length, want: "
            f"{TEK_HMAC_LENGTH} got: {len(raw)}",
            ErrorCode.HMAC_INVALID,
        )


class CertificateSigners:
    """The system or realm certificate signer of each realm (protocol §7.2)."""

    def __init__(self, keystore: KeyStore, settings: TokenSettings):
        self._keystore = keystore
        self._settings = settings
        self._memo = Memo(SIGNER_CACHE_SECONDS)

    def for_realm(self, conn: psycopg.Connection, realm: Realm) -> CertificateSigner:
        """Return the realm's signer; raise a 500 domain error if it has none."""
        try:
            # Keyed by the row's version too: a settings save (upgrade to realm
            # keys, a new active key) takes effect on the next request.
            signer = self._memo.get(
                (realm.id, realm.updated_at), lambda: self._load(conn, realm)
            )
        except LookupError:
            signer = None
        if signer is None:
            raise DomainError("failed to load signer", ErrorCode.INTERNAL, 500)
        return signer

    def _load(self, conn, realm: Realm) -> CertificateSigner | None:
        if realm.use_realm_certificate_key:
            row = realm_keys_q.active_realm_signing_key(conn, realm_id=realm.id)
            if row is None:
                return None
            return CertificateSigner(
                SigningKey(row.kid, self._keystore.private_key(conn, row.key_id)),
                realm.certificate_issuer or "",
                realm.certificate_audience or "",
                float(realm.certificate_duration or 900),
            )
        active = keys_q.active_system_certificate_key(conn)
        if active is None:
            return None
        kid, version = active
        return CertificateSigner(
            SigningKey(kid, self._keystore.private_key(conn, version)),
            self._settings.certificate_issuer,
            self._settings.certificate_audience,
            self._settings.certificate_duration,
        )

    def forget(self) -> None:
        """Drop memoised signers (after a key change in this process)."""
        self._memo.clear()


def build_certificate(
    signer: CertificateSigner, subject: Subject, ekeyhmac: str, now, skew: float
) -> str:
    """Sign the certificate claims in the original's order."""
    unix_now = int(now.timestamp())
    claims: dict = {
        "aud": signer.audience,
        "exp": unix_now + int(signer.duration),
        "iat": unix_now - int(skew),
        "iss": signer.issuer,
        "nbf": unix_now - int(skew),
        "reportType": subject.test_type,
    }
    if subject.symptom_date is not None:
        claims["symptomOnsetInterval"] = symptom_onset_interval(subject.symptom_date)
    claims["tekmac"] = ekeyhmac
    return sign_jwt(signer.key, claims)


class Certifier:
    """The certificate use case; one instance per process."""

    def __init__(
        self,
        token_keys: TokenKeys,
        signers: CertificateSigners,
        clock,
        settings: TokenSettings,
    ):
        self._keys = token_keys
        self._signers = signers
        self._clock = clock
        self._settings = settings

    def certify(
        self,
        conn: psycopg.Connection,
        *,
        realm: Realm,
        app_id: int,
        token: str,
        ekeyhmac: str,
        key_version: str | None = None,
    ) -> str:
        """Check the token, sign a certificate, then claim the token once.

        With ``key_version`` (a cached API key's), the claim also checks the
        key is unchanged and raises StaleApiKey, claiming nothing, if not.
        """
        now = self._clock.now()
        verified = check_token(
            conn, self._keys, self._settings.token_issuer, token, now
        )
        check_tek_hmac(ekeyhmac)
        signer = self._signers.for_realm(conn, realm)
        try:
            certificate = build_certificate(
                signer,
                verified.subject,
                ekeyhmac,
                now,
                self._settings.allowed_clock_skew,
            )
        except Exception as ex:  # a signer failure; the token is still unused
            raise DomainError(
                f"failed to sign certificate: {ex}", ErrorCode.INTERNAL, 500
            ) from ex
        try:
            self._claim(conn, (realm.id, app_id, key_version), verified, now)
        except psycopg.Error as ex:
            if is_outage(conn, ex):
                raise DatabaseUnavailable(str(ex)) from ex  # 503: the token is unspent
            # The claim rolled back; the certificate is discarded (protocol §4.2).
            log.error("token claim failed in the database: %s", ex)
            raise DomainError("failed to claim token", ErrorCode.NONE, 500) from None
        metrics.for_realm(metrics.TOKENS_CLAIMED, realm.id).inc()
        return certificate

    def _claim(self, conn, caller, verified, now) -> None:
        realm_id, app_id, key_version = caller
        subject = verified.subject
        # Fast path: one autocommit statement checks, claims and counts.
        key_ok, claimed = claims_q.claim_token(
            conn,
            realm_id=realm_id,
            app_id=app_id,
            key_version=key_version,
            token_id=verified.token_id,
            test_type=subject.test_type,
            symptom_date=subject.symptom_date,
            test_date=subject.test_date,
            day=now.astimezone(dt.UTC).date(),
            now=now,
        )
        if not key_ok:
            raise StaleApiKey()
        if claimed is None:
            self._claim_with_checks(conn, realm_id, app_id, verified, now)

    def _claim_with_checks(self, conn, realm_id, app_id, verified, now) -> None:
        """Lock the token and refuse with the reason (or claim it after all)."""
        refused = None
        with conn.transaction():
            row = tokens_q.lock_token(
                conn, realm_id=realm_id, token_id=verified.token_id
            )
            expired = DomainError("verification token expired", ErrorCode.TOKEN_EXPIRED)
            invalid = DomainError("verification token invalid", ErrorCode.TOKEN_EXPIRED)
            if row is None or row.expires_at <= now:
                refused = expired
            elif row.used:
                raise invalid  # "already used" is not counted
            elif (
                row.test_type != verified.subject.test_type
                or utc_day(row.symptom_date) != verified.subject.symptom_date
                or utc_day(row.test_date) != verified.subject.test_date
            ):
                refused = invalid
            if refused is not None:
                stats.token_invalid(conn, now=now, realm_id=realm_id, app_id=app_id)
            else:
                # Only reachable if the fast path raced a rolled-back claimer.
                tokens_q.mark_token_used(conn, token_pk=row.id, now=now)
                stats.token_claimed(
                    conn,
                    now=now,
                    realm_id=realm_id,
                    app_id=app_id,
                    user_report=row.from_user_report,
                )
        if refused is not None:
            raise refused
