"""Verification codes for the exchanges, issued through the admin API."""

from __future__ import annotations

import asyncio
import json
import time

from bench.loadgen import JSON, Connection

BATCH = 10  # the largest batch /api/batch-issue accepts (protocol §5.2)


async def _batches(conn: Connection, key: str, batches: int, out: list[str]) -> None:
    headers = {**JSON, "X-API-Key": key}
    body = json.dumps({"codes": [{"testType": "confirmed"}] * BATCH}).encode()
    try:
        for _ in range(batches):
            status, answer = await conn.request(
                "POST", "/api/batch-issue", headers, body
            )
            if status != 200:
                raise RuntimeError(f"batch-issue: {status} {answer[:300]!r}")
            out += [item["code"] for item in json.loads(answer)["codes"]]
    finally:
        conn.close()


async def _issue(base: str, key: str, count: int, clients: int) -> list[str]:
    host, _, port = base.removeprefix("http://").partition(":")
    batches = -(-count // BATCH)
    share = [batches // clients + (i < batches % clients) for i in range(clients)]
    out: list[str] = []
    await asyncio.gather(
        *(_batches(Connection(host, int(port)), key, n, out) for n in share if n)
    )
    return out


def issue_codes(base: str, key: str, count: int, clients: int = 4) -> list[str]:
    """Issue at least ``count`` codes with ``clients`` parallel batch loops."""
    return asyncio.run(_issue(base, key, count, clients))


def timed_batch(base: str, key: str, count: int) -> tuple[list[str], dict]:
    """Issue ``count`` codes in batches of ten, one after another; time it."""
    started = time.perf_counter()
    codes = issue_codes(base, key, count, clients=1)
    wall = time.perf_counter() - started
    return codes, {
        "codes": len(codes),
        "batch_size": BATCH,
        "clients": 1,
        "wall_s": round(wall, 2),
    }
