"""Model refusals in the case worker's language (issue 17).

models/ stays language-neutral: its exceptions carry a stable machine key
(``ErrorCode``, ``Reason``, ``SigninReason``, ...) beside an English message.
These tables map the keys to message ids. A key without an id keeps the
model's English text, so a new refusal is shown untranslated, never hidden.
The ``N_`` literals are what the catalogue extraction sees.
"""

from __future__ import annotations

import datetime as dt

from api.common.i18n import N_, Formatter
from models.accounts.action_tokens import TokenError, TokenReason
from models.accounts.firebase import FirebaseTokenError
from models.accounts.mfa import MfaError, MfaReason
from models.accounts.passkeys import PasskeyError, PasskeyReason
from models.accounts.passwords import Rule
from models.accounts.signin import SigninError, SigninReason
from models.errors import DomainError, ErrorCode, Reason

# Every code the UI's issue and bulk-issue paths (and the code status page)
# can answer; the rest belong to the device and admin APIs (English).
CODE_TEXTS = {
    ErrorCode.UNPARSABLE_REQUEST: N_("codes.error.unparsable_request"),
    ErrorCode.INTERNAL: N_("codes.error.internal_server_error"),
    ErrorCode.UNSUPPORTED_TEST_TYPE: N_("codes.error.unsupported_test_type"),
    ErrorCode.INVALID_TEST_TYPE: N_("codes.error.invalid_test_type"),
    ErrorCode.MISSING_DATE: N_("codes.error.missing_date"),
    ErrorCode.INVALID_DATE: N_("codes.error.invalid_date"),
    ErrorCode.UUID_ALREADY_EXISTS: N_("codes.error.uuid_already_exists"),
    ErrorCode.MAINTENANCE_MODE: N_("codes.error.maintenance_mode"),
    ErrorCode.QUOTA_EXCEEDED: N_("codes.error.quota_exceeded"),
    ErrorCode.SMS_QUEUE_FULL: N_("codes.error.sms_queue_full"),
    ErrorCode.PHONE_NUMBER_INVALID: N_("codes.error.phone_number_invalid"),
    ErrorCode.SMS_FAILURE: N_("codes.error.sms_failure"),
    ErrorCode.MISSING_PHONE: N_("codes.error.missing_phone"),
    ErrorCode.USER_REPORT_TRY_LATER: N_("codes.error.user_report_try_later"),
    ErrorCode.CODE_NOT_FOUND: N_("codes.error.code_not_found"),
}
# Finer than the code, or refusals that have no code at all.
REASON_TEXTS = {
    Reason.INVALID_TEST_DATE: N_("codes.error.invalid_date.test"),
    Reason.INVALID_SYMPTOM_DATE: N_("codes.error.invalid_date.symptom"),
    Reason.UNPARSABLE_TEST_DATE: N_("codes.error.unparsable_date.test"),
    Reason.UNPARSABLE_SYMPTOM_DATE: N_("codes.error.unparsable_date.symptom"),
    Reason.BULK_DISABLED: N_("codes.error.bulk_disabled"),
    Reason.BATCH_TOO_LARGE: N_("codes.error.batch_too_large"),
    Reason.SMS_TEMPLATE_UNKNOWN: N_("codes.error.sms_template_unknown"),
    Reason.SMS_NOT_CONFIGURED: N_("codes.error.sms_not_configured"),
    Reason.CODE_CLAIMED: N_("codes.error.code_claimed"),
}
SIGNIN_TEXTS = {
    SigninReason.FAILED: N_("login.failed"),
    SigninReason.TOO_MANY: N_("login.too-many"),
    SigninReason.USE_PASSWORD: N_("login.use-password"),
    SigninReason.CURRENT_INCORRECT: N_("password.current-incorrect"),
}
RULE_TEXTS = {
    Rule.MIN_LENGTH: N_("password.rule.min-length"),
    Rule.UPPER: N_("password.rule.upper"),
    Rule.LOWER: N_("password.rule.lower"),
    Rule.DIGITS: N_("password.rule.digits"),
    Rule.SPECIAL: N_("password.rule.special"),
    Rule.MISMATCH: N_("password.rule.mismatch"),
}
MFA_TEXTS = {
    MfaReason.DISPLAY_NAME_REQUIRED: N_("mfa.error.display-name-required"),
    MfaReason.CODE_MISMATCH: N_("mfa.error.code-mismatch"),
}
PASSKEY_TEXTS = {
    PasskeyReason.REFUSED: N_("mfa.passkey-not-accepted"),
    PasskeyReason.NAME_INVALID: N_("mfa.passkey-name-invalid"),
    PasskeyReason.ALREADY_REGISTERED: N_("mfa.passkey-already-registered"),
}
TOKEN_TEXTS = {
    TokenReason.INVALID: N_("login.link-invalid"),
    TokenReason.EXPIRED: N_("login.link-expired"),
}


def domain_error_text(ctx, ex: DomainError) -> str:
    """Return a refused code in the page's language, else the model's English.

    English pages keep the protocol's own texts (spec ui-and-data §5).
    """
    message_id = REASON_TEXTS.get(ex.reason) or CODE_TEXTS.get(ex.code)
    if message_id is None:
        return ex.message
    fmt = Formatter(ctx.locale)
    params = {
        name: fmt.date(value) if isinstance(value, dt.date) else value
        for name, value in ex.params.items()
    }
    return ctx.translated(message_id, **params) or ex.message


def _refusal_id(ex: Exception) -> str | None:
    if isinstance(ex, SigninError):
        return SIGNIN_TEXTS.get(ex.reason)
    if isinstance(ex, FirebaseTokenError):
        return N_("login.id-token-invalid")
    if isinstance(ex, MfaError):
        return MFA_TEXTS.get(ex.reason)
    if isinstance(ex, PasskeyError):
        return PASSKEY_TEXTS.get(ex.reason)
    if isinstance(ex, TokenError):
        return TOKEN_TEXTS.get(ex.reason)
    return None


def refusal_text(ctx, ex: Exception) -> str:
    """Return a sign-in, password, MFA, passkey or link refusal, translated.

    The model's English text where the page's locale has no words for it.
    """
    breaks = getattr(ex, "breaks", ())
    if breaks:
        texts = [
            ctx.translated(
                RULE_TEXTS[b.rule], *(() if b.rule is Rule.MISMATCH else (b.need,))
            )
            for b in breaks
        ]
        # All or nothing: a half-translated list reads worse than English.
        return str(ex) if None in texts else "; ".join(texts)
    message_id = _refusal_id(ex)
    return (ctx.translated(message_id) if message_id else None) or str(ex)
