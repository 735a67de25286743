"""Reading settings from an environment mapping: typed values, every problem kept.

``models.settings`` builds its frozen :class:`~models.settings.Settings` with
these; they collect errors instead of raising, so one start-up report lists
every bad variable at once.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field


class SettingsError(ValueError):
    """Raised when the environment does not describe a valid configuration."""


@dataclass(frozen=True)
class Secret:
    """A secret value whose ``repr`` and ``str`` never reveal it."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('***')" if self.value else "Secret('')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self.value)


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Parse a Go-style duration (``15m``, ``1h30m``, ``336h``) or plain seconds."""
    text = text.strip()
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)
    negative = text.startswith("-")
    body = text[1:] if negative else text
    pos, total = 0, 0.0
    for match in _DURATION_PART.finditer(body):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(body) or not body:
        raise SettingsError(f"invalid duration {text!r} (use e.g. 90s, 15m, 24h)")
    return -total if negative else total


class Env:
    """Typed accessors over an environment mapping that collect errors."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env
        self.errors: list[str] = []

    def str(self, name: str, default: str = "") -> str:
        return self.env.get(name, default).strip() or default

    def opt(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def int(
        self, name: str, default: int, lo: int | None = None, hi: int | None = None
    ) -> int:
        raw = self.env.get(name, "").strip()
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            self.errors.append(f"{name}: {raw!r} is not an integer")
            return default
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.errors.append(f"{name}: {value} is outside [{lo}, {hi}]")
        return value

    def bool(self, name: str, default: bool) -> bool:
        raw = self.env.get(name, "").strip().lower()
        if not raw:
            return default
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        self.errors.append(f"{name}: {raw!r} is not a boolean")
        return default

    def seconds(self, name: str, default: str, lo: float | None = 0) -> float:
        raw = self.env.get(name, "").strip() or default
        try:
            value = parse_duration(raw)
        except SettingsError as ex:
            self.errors.append(f"{name}: {ex}")
            return parse_duration(default)
        if lo is not None and value < lo:
            self.errors.append(f"{name}: must not be below {lo} seconds")
        return value

    def secret(self, name: str) -> Secret:
        return Secret(self.env.get(name, "").strip())


def realm_ids(e: Env, name: str) -> tuple[int, ...]:
    """Parse a comma-separated list of realm ids (errors are collected)."""
    parts = [p.strip() for p in e.str(name, "").split(",") if p.strip()]
    if not all(p.isdigit() for p in parts):
        e.errors.append(f"{name}: must be a comma-separated list of realm ids")
        return ()
    return tuple(int(p) for p in parts)


def server_endpoint(e: Env, surface: str, dev_mode: bool, port_base: int) -> str:
    """Return the public base URL of the server surface (links in mails).

    Mail links must never be built from a request's Host header (anyone can
    send one), so the server refuses to start without it outside dev mode;
    dev mode falls back to the local default port.
    """
    raw = e.str("SERVER_ENDPOINT", "")
    if not raw:
        if dev_mode:
            return f"http://127.0.0.1:{port_base}"
        if surface == "server":
            e.errors.append(
                "SERVER_ENDPOINT: required for the server surface outside dev mode"
                " (the public base URL used in account e-mail links, e.g."
                " https://verify.example.com)"
            )
        return ""
    parts = urllib.parse.urlsplit(raw)
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.query
        or parts.fragment
        or any(ch in raw for ch in "\r\n\t ")
    ):
        e.errors.append(
            f"SERVER_ENDPOINT: {raw!r} is not an http(s) base URL such as"
            " https://verify.example.com"
        )
        return ""
    return raw.rstrip("/")


def webauthn_party(e: Env, endpoint: str) -> dict[str, str]:
    """Return the passkey relying party (RP id, origin) as UiSettings fields.

    Explicit ``ENCV_WEBAUTHN_RP_ID``/``ENCV_WEBAUTHN_ORIGIN`` win; otherwise
    both come from SERVER_ENDPOINT: its host name is the RP id and its
    scheme://host[:port] the origin browsers report.
    """
    parts = urllib.parse.urlsplit(endpoint) if endpoint else None
    rp_id = e.str("ENCV_WEBAUTHN_RP_ID", "") or (parts.hostname or "" if parts else "")
    origin = e.str("ENCV_WEBAUTHN_ORIGIN", "").rstrip("/")
    if not origin and parts:
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin and not re.fullmatch(r"https?://[^/\s]+", origin):
        e.errors.append(f"ENCV_WEBAUTHN_ORIGIN: {origin!r} is not scheme://host[:port]")
        origin = ""
    return {"webauthn_rp_id": rp_id.lower(), "webauthn_origin": origin}
