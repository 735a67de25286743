"""Domain errors carrying the protocol's stable ``errorCode`` strings."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Wire error codes, unchanged from the original (protocol §1.2)."""

    NONE = ""
    UNPARSABLE_REQUEST = "unparsable_request"
    INTERNAL = "internal_server_error"
    CODE_INVALID = "code_invalid"
    CODE_EXPIRED = "code_expired"
    CODE_NOT_FOUND = "code_not_found"
    CODE_USER_UNAUTHORIZED = "code_user_unauthorized"
    UNSUPPORTED_TEST_TYPE = "unsupported_test_type"
    INVALID_TEST_TYPE = "invalid_test_type"
    MISSING_DATE = "missing_date"
    INVALID_DATE = "invalid_date"
    UUID_ALREADY_EXISTS = "uuid_already_exists"
    MAINTENANCE_MODE = "maintenance_mode"
    QUOTA_EXCEEDED = "quota_exceeded"
    SMS_QUEUE_FULL = "sms_queue_full"
    PHONE_NUMBER_INVALID = "phone_number_invalid"
    SMS_FAILURE = "sms_failure"
    MISSING_NONCE = "missing_nonce"
    MISSING_PHONE = "missing_phone"
    USER_REPORT_TRY_LATER = "user_report_try_later"
    TOKEN_INVALID = "token_invalid"
    TOKEN_EXPIRED = "token_expired"
    HMAC_INVALID = "hmac_invalid"


class Reason(StrEnum):
    """Finer machine keys than ``ErrorCode``, never sent on the wire.

    The UI shows refusals in the case worker's language keyed on these (or on
    the code when there is no reason): the English ``message`` stays the
    protocol's text, and some refusals share a code or have none.
    """

    NONE = ""
    INVALID_TEST_DATE = "invalid_date.test"
    INVALID_SYMPTOM_DATE = "invalid_date.symptom"
    UNPARSABLE_TEST_DATE = "unparsable_date.test"
    UNPARSABLE_SYMPTOM_DATE = "unparsable_date.symptom"
    BULK_DISABLED = "bulk_disabled"
    BATCH_TOO_LARGE = "batch_too_large"
    SMS_TEMPLATE_UNKNOWN = "sms_template_unknown"
    SMS_NOT_CONFIGURED = "sms_not_configured"
    CODE_CLAIMED = "code_claimed"


class DomainError(Exception):
    """A rule was broken; ``status`` is the HTTP status the API maps it to.

    ``reason`` and ``params`` (the values the English message embeds) let a
    surface word the refusal itself; the API sends ``message`` and ``code``.
    """

    def __init__(
        self,
        message: str,
        code: ErrorCode = ErrorCode.NONE,
        status: int = 400,
        *,
        reason: Reason = Reason.NONE,
        params: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.reason = reason
        self.params = params or {}


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to the caller)."""

    def __init__(self, message: str = "not found", code: ErrorCode = ErrorCode.NONE):
        super().__init__(message, code, 404)


class InvalidInput(DomainError):
    """Operator input broke a rule; the message says which (UI flash, CLI stderr).

    ``fields`` maps form fields to their messages, for forms that show them
    beside the input.
    """

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message, ErrorCode.NONE, 422)
        self.fields = fields or {}
