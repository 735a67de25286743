"""Strict JSON request binding, as the original's decoder behaves (protocol §1.1).

Each endpoint declares its fields with the JSON type it accepts; binding
errors carry the original's messages and each endpoint maps them to its own
status and ``errorCode``.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import falcon

MAX_BODY = 64_000
# Deeper nesting than any real client sends; bounded so that neither the
# decoder nor our own walks can recurse into a RecursionError.
MAX_DEPTH = 32
# Longer integer literals are refused before int() sees them (Python's
# int-string limit would raise, and no field needs more than 20 digits).
MAX_INT_DIGITS = 32

STRING = "string"
NUMBER = "number"
BOOL = "bool"
STRING_LIST = "string_list"
OBJECT_LIST = "object_list"
ANY = "any"


class BindError(ValueError):
    """The body could not be bound; ``str(ex)`` is the client-facing message."""


def text(max_len: int) -> tuple[str, int]:
    """A string field no longer than ``max_len`` characters (its column's size)."""
    return (STRING, max_len)


def string_list(max_len: int) -> tuple[str, int]:
    """A list of strings, each at most ``max_len`` characters."""
    return (STRING_LIST, max_len)


class Pairs(list):
    """A JSON object as its (key, value) pairs, in order (duplicates kept)."""


def _is_list(value: Any) -> bool:
    return isinstance(value, list) and not isinstance(value, Pairs)


def _check_type(kind: str, value: Any) -> bool:
    if value is None or kind == ANY:
        return True  # null leaves the zero value, like Go's decoder
    if kind == STRING:
        return isinstance(value, str)
    if kind == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == STRING_LIST:
        return _is_list(value) and all(isinstance(v, str | None) for v in value)
    if kind == OBJECT_LIST:
        return _is_list(value) and all(isinstance(v, Pairs | None) for v in value)
    raise AssertionError(kind)


def _kind(spec: str | tuple[str, int]) -> tuple[str, int | None]:
    return spec if isinstance(spec, tuple) else (spec, None)


def _too_long(value: Any, max_len: int | None) -> bool:
    if max_len is None or value is None:
        return False
    if isinstance(value, str):
        return len(value) > max_len
    return any(v is not None and len(v) > max_len for v in value)


# Strings (with their escapes) are skipped so brackets inside them don't count;
# a lone quote is an unterminated string, after which nothing is JSON.
_STRING_OR_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*+"|[\[\]{}"]')
# A lone surrogate can only come from a \u escape; NUL from \u0000.
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


def _check_depth(text: str) -> None:
    # Fewer openers than the limit cannot nest past it: skip the scan (C
    # counts), which is every well-behaved client's body.
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        char = match.group()
        if char == '"':
            return  # unterminated: the decoder reports it
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise BindError(f"json nested deeper than {MAX_DEPTH} levels")
        elif char in "]}":
            depth -= 1


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise BindError(f"number longer than {MAX_INT_DIGITS} digits")
    return int(literal)


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise BindError("number out of range")
    return value


def _refuse_constant(name: str) -> Any:
    raise BindError(f"invalid number {name}")


def _check_strings(value: Any) -> None:
    """Refuse NUL and lone surrogates anywhere (keys included); depth is bounded."""
    if isinstance(value, str):
        if _FORBIDDEN.search(value):
            raise BindError("string contains a NUL or an invalid unicode escape")
    elif isinstance(value, list):  # Pairs too: its items are (key, value) tuples
        for item in value:
            _check_strings(item)
    elif isinstance(value, tuple):
        _check_strings(value[0])
        _check_strings(value[1])


# Stateless, so one is shared by every request and thread.
_DECODER = json.JSONDecoder(
    object_pairs_hook=Pairs,
    parse_int=_parse_int,
    parse_float=_parse_float,
    parse_constant=_refuse_constant,
)


def read_body(req: falcon.Request) -> bytes:
    """Check the content type and read at most the allowed body size."""
    content_type = req.get_header("Content-Type") or ""
    if len(content_type) < 16 or content_type[:16] != "application/json":
        raise BindError("content-type is not application/json")
    body = req.bounded_stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise BindError("http: request body too large")
    return body


def parse_object(body: bytes, fields: dict) -> dict[str, Any]:
    """Decode exactly one JSON object and match its keys to ``fields``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as ex:
        raise BindError(f"invalid UTF-8 at position {ex.start + 1}") from None
    if not text.strip():
        raise BindError("body must not be empty")
    _check_depth(text)
    start = len(text) - len(text.lstrip())
    try:
        obj, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as ex:
        if ex.pos >= len(text.rstrip()):
            raise BindError("malformed json") from None
        raise BindError(f"malformed json at position {ex.pos + 1}") from None
    if text[end:].strip():
        raise BindError("body must contain only one JSON object")
    if not isinstance(obj, Pairs):
        raise BindError(f"invalid value at position {start + 1}")
    # Decoded text holds a NUL or a lone surrogate only through a \u escape
    # (raw control characters are refused by the decoder, and UTF-8 input
    # cannot carry surrogates): bodies without one skip the walk.
    if "\\u" in text:
        _check_strings(obj)
    return match_fields(obj, fields)


def match_fields(pairs: Pairs, fields: dict) -> dict[str, Any]:
    """Match object keys case-insensitively to ``fields``; reject unknown keys.

    A field is a kind (``STRING``...) or ``text(n)``/``string_list(n)``,
    whose strings longer than ``n`` are refused before they reach a column.

    Values of OBJECT_LIST fields stay :class:`Pairs` so the caller binds each
    item with its own field list; ANY values are converted to plain dicts.
    """
    lowered = {name.lower(): name for name in fields}
    result: dict[str, Any] = {}
    for key, value in pairs:
        name = key if key in fields else lowered.get(key.lower())
        if name is None:
            raise BindError(f'json: unknown field "{key}"')
        kind, max_len = _kind(fields[name])
        if not _check_type(kind, value):
            raise BindError(f'invalid value "{key}"')
        if _too_long(value, max_len):
            raise BindError(f'"{key}" is longer than {max_len} characters')
        if kind == ANY:
            value = plain(value)
        result[name] = value  # the last duplicate wins, as Go's decoder does
    return result


def plain(value: Any) -> Any:
    """Turn nested :class:`Pairs` into dicts (last duplicate wins)."""
    if isinstance(value, Pairs):
        return {k: plain(v) for k, v in value}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def bind(req: falcon.Request, fields: dict) -> dict[str, Any]:
    """Read and bind the request body; raise BindError with the original's text."""
    return parse_object(read_body(req), fields)
