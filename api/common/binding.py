"""Strict JSON request binding, as the original's decoder behaves (protocol §1.1).

Each endpoint declares its fields with the JSON type it accepts; binding
errors carry the original's messages and each endpoint maps them to its own
status and ``errorCode``.
"""

from __future__ import annotations

import json
from typing import Any

import falcon

MAX_BODY = 64_000

STRING = "string"
NUMBER = "number"
BOOL = "bool"
STRING_LIST = "string_list"
OBJECT_LIST = "object_list"
ANY = "any"


class BindError(ValueError):
    """The body could not be bound; ``str(ex)`` is the client-facing message."""


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


def read_body(req: falcon.Request) -> bytes:
    """Check the content type and read at most the allowed body size."""
    content_type = req.get_header("Content-Type") or ""
    if len(content_type) < 16 or content_type[:16] != "application/json":
        raise BindError("content-type is not application/json")
    body = req.bounded_stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise BindError("http: request body too large")
    return body


def parse_object(body: bytes, fields: dict[str, str]) -> dict[str, Any]:
    """Decode exactly one JSON object and match its keys to ``fields``."""
    text = body.decode("utf-8", errors="replace")
    if not text.strip():
        raise BindError("body must not be empty")
    decoder = json.JSONDecoder(object_pairs_hook=Pairs)
    start = len(text) - len(text.lstrip())
    try:
        obj, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as ex:
        if ex.pos >= len(text.rstrip()):
            raise BindError("malformed json") from None
        raise BindError(f"malformed json at position {ex.pos + 1}") from None
    if text[end:].strip():
        raise BindError("body must contain only one JSON object")
    if not isinstance(obj, Pairs):
        raise BindError(f"invalid value at position {start + 1}")
    return match_fields(obj, fields)


def match_fields(pairs: Pairs, fields: dict[str, str]) -> dict[str, Any]:
    """Match object keys case-insensitively to ``fields``; reject unknown keys.

    Values of OBJECT_LIST fields stay :class:`Pairs` so the caller binds each
    item with its own field list; ANY values are converted to plain dicts.
    """
    lowered = {name.lower(): name for name in fields}
    result: dict[str, Any] = {}
    for key, value in pairs:
        name = key if key in fields else lowered.get(key.lower())
        if name is None:
            raise BindError(f'json: unknown field "{key}"')
        if not _check_type(fields[name], value):
            raise BindError(f'invalid value "{key}"')
        if fields[name] == ANY:
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


def bind(req: falcon.Request, fields: dict[str, str]) -> dict[str, Any]:
    """Read and bind the request body; raise BindError with the original's text."""
    return parse_object(read_body(req), fields)
