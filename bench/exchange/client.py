"""An asyncio HTTP/1.1 load generator (one connection per request, as sync
gunicorn workers close every connection).

Kept deliberately small: the client shares the CPU with the server, so it
must cost little per request.
"""

from __future__ import annotations

import asyncio
import json
import time


async def request(
    host: str, port: int, method: str, path: str, headers: dict, body: bytes = b""
) -> tuple[int, bytes]:
    """Send one request and return (status, body)."""
    reader, writer = await asyncio.open_connection(host, port)
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    head.append(f"Content-Length: {len(body)}")
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    raw = await reader.read()
    writer.close()
    header_end = raw.find(b"\r\n\r\n")
    status = int(raw[9:12])
    return status, raw[header_end + 4 :]


class Recorder:
    """Latencies (seconds) of completed operations inside the measured window."""

    def __init__(self):
        self.requests: list[float] = []
        self.exchanges: list[float] = []
        self.errors = 0
        self.measuring = False

    def merge(self, other: Recorder) -> None:
        """Add another round's samples to this one."""
        self.requests += other.requests
        self.exchanges += other.exchanges
        self.errors += other.errors


async def drive_trivial(host, port, deadline, recorder: Recorder) -> None:
    """Loop GET /ping until ``deadline``."""
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        status, _ = await request(host, port, "GET", "/ping", {})
        if recorder.measuring:
            if status == 200:
                recorder.requests.append(time.perf_counter() - started)
            else:
                recorder.errors += 1


async def drive_exchanges(host, port, api_key, codes, deadline, recorder) -> None:
    """Loop code -> token -> certificate exchanges until ``deadline``."""
    headers = {"X-API-Key": api_key, "Content-Type": "application/json"}
    tek_hmac = "2u1nHt5WWurJytFLF3xitNzM99oNrad2y4YGOL53AeY="
    while time.perf_counter() < deadline and codes:
        code = codes.pop()
        started = time.perf_counter()
        status, body = await request(
            host,
            port,
            "POST",
            "/api/verify",
            headers,
            json.dumps({"code": code}).encode(),
        )
        middle = time.perf_counter()
        if status != 200:
            recorder.errors += recorder.measuring
            continue
        token = json.loads(body)["token"]
        status, body = await request(
            host,
            port,
            "POST",
            "/api/certificate",
            headers,
            json.dumps({"token": token, "ekeyhmac": tek_hmac}).encode(),
        )
        ended = time.perf_counter()
        if not recorder.measuring:
            continue
        if status != 200:
            recorder.errors += 1
            continue
        recorder.requests += [middle - started, ended - middle]
        recorder.exchanges.append(ended - started)


async def run(make_task, clients: int, warmup: float, duration: float) -> tuple:
    """Run ``clients`` loops; measure only after ``warmup``; return (rec, secs)."""
    recorder = Recorder()
    deadline = time.perf_counter() + warmup + duration
    tasks = [asyncio.create_task(make_task(deadline, recorder)) for _ in range(clients)]
    await asyncio.sleep(warmup)
    recorder.measuring = True
    measured_from = time.perf_counter()
    await asyncio.gather(*tasks)
    return recorder, time.perf_counter() - measured_from
