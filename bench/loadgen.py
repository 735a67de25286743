"""A small asyncio HTTP/1.1 load generator: N clients, each on a kept-alive
connection (as a proxy in front of the surfaces would hold them), one request
at a time.

It shares the CPU with the server, so it must cost little per request; its
own CPU is measured and reported beside the server's. Every figure it makes
is per measured window: operations that complete between the end of the
warm-up and the deadline.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable


class Connection:
    """One HTTP/1.1 connection, reopened when the server closes it."""

    def __init__(self, host: str, port: int, keepalive: bool = True):
        self.host, self.port, self.keepalive = host, port, keepalive
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict, body: bytes = b""
    ) -> tuple[int, bytes]:
        """Send one request and return (status, body)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port
            )
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if not self.keepalive:
            head.append("Connection: close")
        head += [f"{name}: {value}" for name, value in headers.items()]
        head.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
            status, length, close = parse_head(raw)
            if length is None:
                data, close = await self.reader.read(), True
            else:
                data = await self.reader.readexactly(length)
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        if close or not self.keepalive:
            self.close()
        return status, data

    def close(self) -> None:
        """Drop the connection; the next request opens a new one."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def parse_head(raw: bytes) -> tuple[int, int | None, bool]:
    """Return (status, Content-Length or None, server closes) of a response head."""
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close = None, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    return status, length, close


class Recorder:
    """Latencies (seconds) of operations completed inside the measured window."""

    def __init__(self):
        self.latencies: list[float] = []
        self.requests = 0
        self.errors = 0
        self.measuring = False
        self.last_error = ""

    def done(self, started: float, requests: int) -> None:
        """Record one successful operation of ``requests`` HTTP requests."""
        if self.measuring:
            self.latencies.append(time.perf_counter() - started)
            self.requests += requests

    def failed(self, why: str) -> None:
        """Count one failed operation."""
        if self.measuring:
            self.errors += 1
        self.last_error = why


JSON = {"Content-Type": "application/json"}
TEK_HMAC = "2u1nHt5WWurJytFLF3xitNzM99oNrad2y4YGOL53AeY="


async def _repeat(conn, rec, deadline, method, path, headers, body=b"") -> None:
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        status, answer = await conn.request(method, path, headers, body)
        if status == 200:
            rec.done(started, 1)
        else:
            rec.failed(f"{status} {answer[:200]!r}")


async def trivial(conn: Connection, rec: Recorder, deadline: float, _ctx) -> None:
    """Loop GET /ping until ``deadline``."""
    await _repeat(conn, rec, deadline, "GET", "/ping", {})


async def issue(conn: Connection, rec: Recorder, deadline: float, ctx) -> None:
    """Loop POST /api/issue (one confirmed-test code) until ``deadline``."""
    headers = {**JSON, "X-API-Key": ctx["admin_key"]}
    body = json.dumps({"testType": "confirmed"}).encode()
    await _repeat(conn, rec, deadline, "POST", "/api/issue", headers, body)


async def exchange(conn: Connection, rec: Recorder, deadline: float, ctx) -> None:
    """Loop code -> token -> certificate exchanges until ``deadline``."""
    headers = {**JSON, "X-API-Key": ctx["device_key"]}
    codes: list[str] = ctx["codes"]
    while time.perf_counter() < deadline and codes:
        code = codes.pop()
        started = time.perf_counter()
        body = json.dumps({"code": code}).encode()
        status, answer = await conn.request("POST", "/api/verify", headers, body)
        if status != 200:
            rec.failed(f"verify {status} {answer[:200]!r}")
            continue
        body = json.dumps({"token": json.loads(answer)["token"], "ekeyhmac": TEK_HMAC})
        status, answer = await conn.request(
            "POST", "/api/certificate", headers, body.encode()
        )
        if status == 200:
            rec.done(started, 2)
        else:
            rec.failed(f"certificate {status} {answer[:200]!r}")
    if not codes and time.perf_counter() < deadline:
        rec.failed("ran out of codes before the deadline")


async def _window(
    base: str, driver, ctx, clients, warmup, duration, on_start, on_end, on_tick
):
    host, _, port = base.removeprefix("http://").partition(":")
    rec = Recorder()
    deadline = time.perf_counter() + warmup + duration
    conns = [
        Connection(host, int(port), ctx.get("keepalive", True)) for _ in range(clients)
    ]

    async def client(conn):
        try:
            await driver(conn, rec, deadline, ctx)
        except (OSError, asyncio.IncompleteReadError) as ex:
            rec.failed(repr(ex))
        finally:
            conn.close()

    tasks = [asyncio.create_task(client(c)) for c in conns]
    await asyncio.sleep(warmup)
    start = on_start()
    rec.measuring = True
    began = time.perf_counter()
    while time.perf_counter() < deadline - 1.0:
        on_tick(rec)
        await asyncio.sleep(1.0)
    on_tick(rec)
    await asyncio.sleep(max(0.0, deadline - time.perf_counter()))
    # Operations still running at the deadline are not counted; stop the
    # clock (and the CPU) when the last measured one could have finished.
    rec.measuring = False
    seconds = time.perf_counter() - began
    end = on_end()
    await asyncio.gather(*tasks)
    return rec, seconds, start, end


def run_window(
    base: str,
    driver,
    ctx: dict,
    clients: int,
    warmup: float,
    duration: float,
    on_start: Callable[[], object] = lambda: None,
    on_end: Callable[[], object] = lambda: None,
    on_tick: Callable[[Recorder], None] = lambda rec: None,
):
    """Drive ``base`` with ``clients`` loops; return (recorder, seconds, start, end).

    ``on_start``/``on_end`` run at the edges of the measured window (CPU
    samples); ``on_tick(recorder)`` about once a second inside it (memory
    and per-second CPU samples).
    """
    return asyncio.run(
        _window(base, driver, ctx, clients, warmup, duration, on_start, on_end, on_tick)
    )
