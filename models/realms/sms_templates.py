"""SMS template rules of the settings page (ui-and-data §6.2).

Pure functions: normalise a template, check it for the realm's mode, and
rewrite the set when EN Express is switched on or off.
"""

from __future__ import annotations

import re

from models.codes.sms import (
    DEFAULT_ENX_TEMPLATE,
    DEFAULT_ENX_USER_REPORT_TEMPLATE,
    DEFAULT_TEMPLATE,
    DEFAULT_TEMPLATE_LABEL,
    DEFAULT_USER_REPORT_TEMPLATE,
    USER_REPORT_TEMPLATE_LABEL,
    render_sms,
)

MAX_RAW_LENGTH = 800
MAX_EXPANDED_LENGTH = 918
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Turn CR, LF and ``|`` into spaces and collapse runs of whitespace."""
    for char in "\r\n|":
        text = text.replace(char, " ")
    return _SPACES.sub(" ", text).strip()


def defaults(enx: bool) -> tuple[str, str]:
    """Return (default template, user-report template) for the mode."""
    if enx:
        return DEFAULT_ENX_TEMPLATE, DEFAULT_ENX_USER_REPORT_TEMPLATE
    return DEFAULT_TEMPLATE, DEFAULT_USER_REPORT_TEMPLATE


def check(
    text: str,
    *,
    label: str,
    enx: bool,
    code_length: int,
    long_code_length: int,
    short_seconds: int,
    long_seconds: int,
    region: str,
    enx_domain: str,
) -> str | None:
    """Return the first rule ``text`` breaks, or None when it is valid."""
    if not text:
        return "is required"
    if enx:
        if "[enslink]" not in text:
            return 'must contain "[enslink]"'
        for banned in ("[region]", "[longcode]"):
            if banned in text:
                return (
                    f'cannot contain "{banned}" - this is automatically '
                    'included in "[enslink]"'
                )
    else:
        if "[enslink]" in text:
            return 'cannot contain "[enslink]" when EN Express is disabled'
        if ("[code]" in text) == ("[longcode]" in text):
            return 'must contain exactly one of "[code]" or "[longcode]"'
    if label == USER_REPORT_TEMPLATE_LABEL and "[longexpires]" in text:
        return (
            'cannot contain "[longexpires]" - user report codes only have '
            "a short lifetime"
        )
    if len(text) > MAX_RAW_LENGTH:
        return (
            f"must be {MAX_RAW_LENGTH} characters or less, "
            f"current message is {len(text)} characters"
        )
    expanded = render_sms(
        text,
        code="1" * code_length,
        long_code="1" * long_code_length,
        region_code=region or "US-XX",
        short_ttl=short_seconds,
        long_ttl=long_seconds,
        enx_redirect_domain=enx_domain,
    )
    if len(expanded) > MAX_EXPANDED_LENGTH:
        return (
            f"when expanded, the result message is too long ({len(expanded)} "
            f"characters). The max expanded message is {MAX_EXPANDED_LENGTH} characters"
        )
    return None


def parse_pairs(form: dict) -> tuple[str, dict[str, str], dict[str, str]]:
    """Read ``sms_text_label_<i>``/``sms_text_template_<i>`` pairs from a form.

    Return (default template, alternates by label, errors by field).
    """
    indexes = sorted(
        int(key.rsplit("_", 1)[1])
        for key in form
        if key.startswith("sms_text_template_") and key.rsplit("_", 1)[1].isdigit()
    )
    default = normalise(_one(form, "sms_text_template_0"))
    alternates: dict[str, str] = {}
    errors: dict[str, str] = {}
    for index in indexes:
        if index == 0:
            continue
        label = _one(form, f"sms_text_label_{index}").strip()
        text = normalise(_one(form, f"sms_text_template_{index}"))
        field = f"sms_text_template_{index}"
        if not label and not text:
            continue  # an empty new-template row was left untouched
        if not label:
            errors[field] = "label is required"
        elif label == DEFAULT_TEMPLATE_LABEL:
            errors[field] = f'label "{label}" is reserved'
        elif label in alternates:
            errors[field] = f'label "{label}" is used twice'
        elif not text:
            errors[field] = "is required"
        else:
            alternates[label] = text
    return default, alternates, errors


def with_user_report(alternates: dict[str, str], enx: bool) -> dict[str, str]:
    """Add the "User Report" template when user reports are on and it is missing."""
    if USER_REPORT_TEMPLATE_LABEL in alternates:
        return alternates
    return {**alternates, USER_REPORT_TEMPLATE_LABEL: defaults(enx)[1]}


def for_mode(
    alternates: dict[str, str] | None, enx: bool
) -> tuple[str, dict[str, str] | None]:
    """Rewrite the templates for EN Express on or off; every result is valid.

    The default and "User Report" get the mode's defaults; other alternates
    keep their text only when it already suits the mode.
    """
    default, user_report = defaults(enx)
    if alternates is None:
        return default, None
    out = {}
    for label, text in alternates.items():
        if label == USER_REPORT_TEMPLATE_LABEL:
            out[label] = user_report
        elif enx and "[enslink]" not in text:
            out[label] = default
        elif not enx and (
            "[enslink]" in text or "[code]" not in text and "[longcode]" not in text
        ):
            out[label] = default
        else:
            out[label] = text
    return default, out


def _one(form: dict, name: str) -> str:
    value = form.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return value or ""
