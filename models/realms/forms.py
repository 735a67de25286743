"""Lenient form reading shared by the realm settings tabs (ui-and-data §0).

Form bodies arrive as ``{name: str | list[str]}``; unknown keys are ignored
and booleans accept ``true/false/1/0/on``.
"""

from __future__ import annotations

import ipaddress
import re

# Password-like fields are pre-filled with this value; getting it back means
# "keep what is stored" (ui-and-data §0).
SENTINEL = "very-nice-try-maybe-next-time"
_SPLIT = re.compile(r"[,\n\r]+")


class SettingsInvalid(ValueError):
    """A tab's form broke rules; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def text(form: dict, name: str, default: str = "") -> str:
    """Return the last value of ``name`` (stripped), or ``default``."""
    value = form.get(name)
    if isinstance(value, list):
        value = value[-1] if value else None
    return default if value is None else str(value).strip()


def has(form: dict, name: str) -> bool:
    """Say whether the form carried ``name`` at all."""
    return name in form


def boolean(form: dict, name: str) -> bool:
    """Read a checkbox or true/false radio (absent means false)."""
    return text(form, name).lower() in {"true", "1", "on"}


def choice(form: dict, name: str, allowed: tuple[int, ...], errors: dict) -> int | None:
    """Read an integer that must be one of ``allowed``; record an error otherwise."""
    raw = text(form, name)
    try:
        value = int(raw)
    except ValueError:
        errors[name] = "is required" if not raw else "must be a number"
        return None
    if value not in allowed:
        errors[name] = f"must be one of {', '.join(str(a) for a in allowed)}"
        return None
    return value


def split_list(raw: str) -> list[str]:
    """Split on newlines and commas, trim, drop blanks."""
    return [part.strip() for part in _SPLIT.split(raw) if part.strip()]


def parse_cidrs(raw: str) -> list[str]:
    """Return the sorted CIDR list of a textarea; raise ValueError on a bad entry.

    A bare IPv4 address gets ``/32`` and a bare IPv6 one ``/128``.
    """
    out = []
    for entry in split_list(raw):
        candidate = entry
        if "/" not in entry:
            candidate += "/128" if ":" in entry else "/32"
        try:
            ipaddress.ip_network(candidate, strict=False)
        except ValueError as ex:
            raise ValueError(f'invalid CIDR "{entry}": {ex}') from None
        out.append(candidate)
    return sorted(set(out))


def secret(form: dict, name: str, stored: str) -> str:
    """Return the posted secret, or ``stored`` when the sentinel came back."""
    value = text(form, name)
    return stored if value == SENTINEL else value


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s)")


def parse_duration(raw: str) -> int:
    """Parse a Go-style duration (``15m0s``, ``1h30m``, ``900s``) into seconds."""
    raw = raw.strip()
    if not raw:
        raise ValueError("invalid certificate duration")
    pos, total = 0, 0.0
    scale = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    for match in _DURATION.finditer(raw):
        if match.start() != pos:
            raise ValueError("invalid certificate duration")
        total += float(match.group(1)) * scale[match.group(2)]
        pos = match.end()
    if pos != len(raw) or total < 1:
        raise ValueError("invalid certificate duration")
    return int(total)


def format_duration(seconds: int) -> str:
    """Format seconds the way Go prints a duration (``15m0s``, ``1h0m0s``)."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"
