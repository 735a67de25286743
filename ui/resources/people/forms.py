"""Small helpers the realm people pages share: form fields, actor, 401."""

from __future__ import annotations

import falcon

from models import audit


def form(req: falcon.Request) -> dict:
    """Return the urlencoded body (repeated fields as lists); {} otherwise."""
    if not (req.content_type or "").startswith(falcon.MEDIA_URLENCODED):
        return {}
    return req.get_media(default_when_empty={})


def field(values: dict, name: str) -> str:
    """Return one field's value as a string ("" when missing)."""
    value = values.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def many(values: dict, name: str) -> list[str]:
    """Return every value of a repeated field."""
    value = values.get(name)
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def ints(values: dict, name: str) -> list[int]:
    """Return the integer values of a repeated field (others dropped)."""
    out = []
    for raw in many(values, name):
        try:
            out.append(int(raw))
        except ValueError:
            continue
    return out


def checked(values: dict, name: str) -> bool:
    """Read a checkbox leniently (§0: true/1/on)."""
    return field(values, name).lower() in ("true", "1", "on")


def actor(req: falcon.Request) -> audit.Actor:
    """Return the signed-in user as the audit actor."""
    user = req.context.user
    return audit.user_actor(user.id, user.name, user.email)


def not_visible() -> falcon.HTTPUnauthorized:
    """Return the 401 a realm-scoped miss answers with (existence not leaked)."""
    return falcon.HTTPUnauthorized(description="unauthorized")
