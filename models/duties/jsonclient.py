"""Outbound JSON HTTP client shared by the duties (operations §1.4).

Paths are resolved relative to the base URL, bodies are JSON, responses must
be JSON (``Content-Type: application/json``), are read up to a size cap, and
an ``error`` field or a status above 299 is an error.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import httpx

from models.telemetry.logs import outgoing_headers


class JsonClientError(RuntimeError):
    """The remote answered with an error, a non-JSON body or a bad status."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status


class JsonClient:
    """A small JSON client bound to one base URL."""

    def __init__(
        self,
        base_url: str,
        *,
        user_agent: str,
        api_key: str = "",
        timeout: float = 5.0,
        max_bytes: int = 65536,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url
        self.max_bytes = max_bytes
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": user_agent,
        }
        if api_key:
            headers["X-API-Key"] = api_key
        self._http = httpx.Client(headers=headers, timeout=timeout, transport=transport)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def url(self, path: str) -> str:
        """Resolve ``path`` (leading ``/`` dropped) against the base URL."""
        return urllib.parse.urljoin(self.base_url, path.lstrip("/"))

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        expect_ok: bool = True,
    ) -> tuple[int, dict]:
        """Send a JSON request; return (status, decoded body)."""
        content = b"" if body is None else json.dumps(body).encode()
        try:
            with self._http.stream(
                method,
                self.url(path),
                content=content,
                headers={**outgoing_headers(), **(headers or {})},
            ) as resp:
                raw = b""
                for chunk in resp.iter_bytes():
                    raw += chunk
                    if len(raw) >= self.max_bytes:
                        raw = raw[: self.max_bytes]
                        break
                status, ctype = resp.status_code, resp.headers.get("content-type", "")
        except httpx.HTTPError as ex:
            raise JsonClientError(f"{method} {self.url(path)}: {ex}") from ex
        if not ctype.startswith("application/json"):
            raise JsonClientError(
                f"response content-type is not json ({ctype!r}): {raw[:200]!r}", status
            )
        try:
            data = json.loads(raw) if raw else {}
        except ValueError as ex:
            raise JsonClientError(f"failed to decode json: {ex}", status) from ex
        if isinstance(data, dict):
            message = data.get("error") or data.get("Error")
            if isinstance(message, str) and message:
                raise JsonClientError(message, status)
        if expect_ok and status > 299:
            raise JsonClientError(f"unexpected status {status}", status)
        return status, data
