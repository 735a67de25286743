"""Phone numbers in E.164 (protocol §3.8)."""

from __future__ import annotations

import phonenumbers

from models.errors import DomainError, ErrorCode


def canonical_phone(phone: str, default_region: str | None) -> str:
    """Return ``phone`` as E.164, parsed with the realm's default region.

    Like the original, only parsing is checked, not whether the number is
    assigned: the SMS provider is the authority on deliverability.
    """
    region = (default_region or "").upper() or None
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException as ex:
        raise DomainError(
            f"phonenumbers.Parse: {ex._msg}", ErrorCode.PHONE_NUMBER_INVALID
        ) from None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
