"""Message catalogs (one JSON file per locale) and locale choice (§9)."""

from __future__ import annotations

import json
from pathlib import Path

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT = "en"
RTL = {"ar", "fa", "he", "ur"}


class Catalogs:
    """Every locale's messages, loaded once at start-up."""

    def __init__(self, directory: Path = LOCALES_DIR):
        self.messages: dict[str, dict[str, str]] = {
            path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(directory.glob("*.json"))
        }

    def translate(self, locale: str, message_id: str, *args) -> str:
        """Return the message in ``locale`` (English, then the id, as fallback)."""
        text = self.messages.get(locale, {}).get(message_id)
        if text is None:
            text = self.messages.get(DEFAULT, {}).get(message_id, message_id)
        return text % args if args else text

    def _match(self, candidate: str) -> str | None:
        tag = candidate.strip().replace("-", "_")
        if not tag:
            return None
        lowered = {name.lower(): name for name in self.messages}
        if tag.lower() in lowered:
            return lowered[tag.lower()]
        base = tag.split("_")[0].lower()
        return lowered.get(base)

    def choose(self, lang_param: str | None, accept_language: str | None) -> str:
        """Pick the locale: ``lang`` query, then Accept-Language, then English."""
        if lang_param:
            found = self._match(lang_param)
            if found:
                return found
        for tag in _parse_accept_language(accept_language or ""):
            found = self._match(tag)
            if found:
                return found
        return DEFAULT


def _parse_accept_language(header: str) -> list[str]:
    """Return Accept-Language tags by descending quality (bad ones dropped)."""
    ranked = []
    for index, item in enumerate(header.split(",")):
        parts = item.strip().split(";")
        tag = parts[0].strip()
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in parts[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = -1.0
        if quality > 0:
            ranked.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(ranked)]
