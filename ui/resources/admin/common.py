"""Helpers shared by the ``/admin`` resources."""

from __future__ import annotations

import falcon

from models import audit


def actor(req: falcon.Request) -> audit.Actor:
    """Return the audit actor of the signed-in system admin."""
    user = req.context.user
    return audit.user_actor(user.id, user.name, user.email)


def form(req: falcon.Request) -> dict[str, str]:
    """Return every field of an urlencoded body (first value of each)."""
    if not (req.content_type or "").startswith(falcon.MEDIA_URLENCODED):
        return {}
    media = req.get_media(default_when_empty={})
    return {k: (v[0] if isinstance(v, list) else v) for k, v in media.items()}


def search(req: falcon.Request) -> str:
    """Return the trimmed ``q`` search parameter."""
    return (req.get_param("q") or "").strip()[:100]
