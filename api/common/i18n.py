"""Gettext catalogues, locale choice and locale-aware formatting (spec §9).

One implementation for both translated surfaces: the UI (``ui/locale``) and
the user-report web view (``api/redirect/locale``). Each keeps its catalogues
as ``<dir>/<locale>/LC_MESSAGES/messages.po`` compiled to ``.mo`` by Babel
(``make i18n``); message ids are the namespaced ids (``login.sign-in``), and
the ``en`` catalogue carries the English text.

Locale choice per request, first hit wins: the ``lang`` query parameter, then
``Accept-Language`` (q-values honoured, malformed entries ignored), then
``en``. Each candidate tag first matches a locale directory exactly (after
``xx-YY`` -> ``xx_YY``); otherwise the CLDR language matcher of ``langcodes``
picks the closest directory, so ``zh-TW``/``zh-Hant`` find ``zh_HK`` and
``zh``/``zh-Hans`` find ``zh_CN`` by script, ``tl`` finds ``fil`` and
``pt-BR`` finds ``pt``. Babel's ``negotiate_locale`` compares strings and
aliases only and cannot rank scripts, hence the matcher.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import langcodes
from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import read_mo

DEFAULT_LOCALE = "en"
DOMAIN = "messages"
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ur"})
# Directory names that are not CLDR locales, mapped to the one they mean.
LOCALE_ALIASES = {"jp": "ja"}
# Matches farther than this (langcodes' scale: 0 same, 10+ different
# language) are no match: the request falls through to the next candidate.
MAX_DISTANCE = 25
# Accept-Language is attacker-controlled: bound the work spent parsing it.
_MAX_HEADER = 1024
_MAX_TAGS = 24
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")
_UNIT_SECONDS = {"day": 86400, "hour": 3600, "minute": 60, "second": 1}
_QVALUE = re.compile(r"^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$")


def N_(message_id: str) -> str:  # noqa: N802 - gettext's conventional name
    """Mark ``message_id`` for extraction where it is translated later."""
    return message_id


def parse_accept_language(header: str) -> list[str]:
    """Return the header's language tags, best q-value first; bad entries dropped."""
    ranked = []
    for position, item in enumerate(header[:_MAX_HEADER].split(",")[:_MAX_TAGS]):
        tag, *params = (part.strip() for part in item.split(";"))
        if not _TAG.match(tag):
            continue  # "*", empty and malformed tags are ignored
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                quality = float(value) if _QVALUE.match(value) else -1.0
        if quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def _directory_form(tag: str) -> str:
    parts = tag.strip().replace("-", "_").split("_")
    if len(parts) == 2:
        return f"{parts[0].lower()}_{parts[1].upper()}"
    return "_".join(parts)


def babel_locale(locale: str) -> Locale:
    """Return the CLDR locale of a catalogue directory (English if unknown)."""
    name = LOCALE_ALIASES.get(locale, locale)
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse(DEFAULT_LOCALE)


def html_language(locale: str) -> str:
    """Return the BCP-47 tag for ``<html lang>`` (``zh_HK`` -> ``zh-HK``)."""
    return LOCALE_ALIASES.get(locale, locale).replace("_", "-")


def direction(locale: str) -> str:
    """Return ``rtl`` for Arabic, Persian, Pashto and Urdu, else ``ltr``."""
    return "rtl" if locale.split("_")[0] in RTL_LANGUAGES else "ltr"


class Formatter:
    """Dates, times, numbers and durations in one locale (CLDR via Babel)."""

    def __init__(self, locale: str, tzinfo: dt.tzinfo | None = None):
        self.locale = babel_locale(locale)
        self.tzinfo = tzinfo or dt.UTC

    def date(self, value: dt.date | dt.datetime | None, form: str = "medium") -> str:
        """Return a localised date (empty for None)."""
        return (
            "" if value is None else babel_dates.format_date(value, form, self.locale)
        )

    def datetime(self, value: dt.datetime | None, form: str = "medium") -> str:
        """Return a localised date and time in the formatter's time zone."""
        if value is None:
            return ""
        return babel_dates.format_datetime(
            value, form, tzinfo=self.tzinfo, locale=self.locale
        )

    def number(self, value: float | int | None) -> str:
        """Return a localised number with the locale's digits and separators."""
        if value is None:
            return ""
        return babel_numbers.format_decimal(value, locale=self.locale)

    def percent(self, value: float | None, decimals: int = 0) -> str:
        """Return ``value`` (a fraction) as a localised percentage."""
        if value is None:
            return ""
        pattern = babel_numbers.parse_pattern(self.locale.percent_formats[None].pattern)
        pattern.frac_prec = (decimals, decimals)
        return pattern.apply(value, self.locale)

    def units(self, count: int, unit: str) -> str:
        """Return ``count`` of a time unit spelt out ("3 days", "3 Tage")."""
        seconds = count * _UNIT_SECONDS[unit]
        # An unreachable threshold keeps Babel from moving to a larger unit.
        return babel_dates.format_timedelta(
            seconds, granularity=unit, threshold=1e12, locale=self.locale
        )

    def duration(
        self, value: dt.timedelta | float | int, threshold: float = 0.85
    ) -> str:
        """Return a rounded localised duration ("15 minutes", "2 Stunden")."""
        seconds = value.total_seconds() if isinstance(value, dt.timedelta) else value
        return babel_dates.format_timedelta(
            seconds, threshold=threshold, locale=self.locale
        )


class LocaleMatcher:
    """Choose among a fixed set of locale names (catalogue directories)."""

    def __init__(self, names: Iterable[str]):
        names = sorted(names)
        self._by_folded = {name.lower(): name for name in names}
        # Alias directories (jp) are reachable by exact name only, so that
        # the matcher's ``ja`` always means the ``ja`` directory.
        matchable = [name for name in names if name not in LOCALE_ALIASES]
        self._tags = [name.replace("_", "-") for name in matchable]
        self._names = dict(zip(self._tags, matchable, strict=True))
        self.match = lru_cache(maxsize=1024)(self._match)

    def _match(self, tag: str) -> str | None:
        exact = self._by_folded.get(_directory_form(tag).lower())
        if exact:
            return exact
        if not self._tags:
            return None
        try:
            best, distance = langcodes.closest_match(
                tag.replace("_", "-"), self._tags, max_distance=MAX_DISTANCE
            )
        except (ValueError, LookupError):
            return None  # not a parseable BCP-47 tag
        return self._names.get(best) if distance <= MAX_DISTANCE else None

    def choose(self, lang: str | None, accept_language: str | None) -> str | None:
        """Return the first match of ``lang`` then Accept-Language, else None."""
        candidates = [lang.strip()] if lang and _TAG.match(lang.strip()) else []
        candidates += parse_accept_language(accept_language or "")
        for tag in candidates:
            found = self.match(tag)
            if found:
                return found
        return None


class Catalogues:
    """Every compiled catalogue of one message set, loaded once at start-up."""

    def __init__(self, directory: Path):
        self.messages: dict[str, dict[str, str]] = {}
        for mo in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")):
            locale = mo.parent.parent.name
            with mo.open("rb") as handle:
                catalog = read_mo(handle)
            texts = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
            if texts:  # a catalogue nobody translated yet is not offered
                self.messages[locale] = texts
        if DEFAULT_LOCALE not in self.messages:
            raise RuntimeError(f"no {DEFAULT_LOCALE} catalogue under {directory}")
        self._matcher = LocaleMatcher(self.messages)

    @property
    def locales(self) -> set[str]:
        """Return the names of the loaded locales."""
        return set(self.messages)

    def t(self, locale: str, message_id: str, *args, **named) -> str:
        """Return ``message_id`` in ``locale`` (then English, then the id) with args."""
        english = self.messages[DEFAULT_LOCALE].get(message_id, message_id)
        text = self.messages.get(locale, {}).get(message_id, english)
        values = named or args
        if not values:
            return text
        try:
            return text % values
        except (TypeError, ValueError, KeyError):
            # A broken translation must not break the page (tests guard this).
            return english % values

    def translated(self, locale: str, message_id: str, *args, **named) -> str | None:
        """Return ``message_id`` only where ``locale`` translates it, else None.

        English is the source language and never counts as a translation: a
        caller that holds its own English text (a model's message) keeps it.
        """
        if locale == DEFAULT_LOCALE or message_id not in self.messages.get(locale, {}):
            return None
        return self.t(locale, message_id, *args, **named)

    def translator(self, locale: str) -> Callable[..., str]:
        """Return ``t(id, *args)`` bound to ``locale`` for templates and flashes."""

        def t(message_id: str, *args, **named) -> str:
            return self.t(locale, message_id, *args, **named)

        return t

    def choose(self, lang: str | None, accept_language: str | None) -> str:
        """Pick the locale: ``lang``, then Accept-Language, then English (§9)."""
        return self._matcher.choose(lang, accept_language) or DEFAULT_LOCALE

    def context(self, locale: str) -> dict:
        """Return the template globals that depend on the locale."""
        return {
            "t": self.translator(locale),
            "locale": locale,
            "lang": html_language(locale),
            "direction": direction(locale),
            "fmt": Formatter(locale),
        }
