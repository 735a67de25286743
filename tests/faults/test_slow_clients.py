"""Slow clients cannot take a surface offline (issue 12, item 3)."""

from __future__ import annotations

import json
import socket
import time

import pytest

STALLED = 50


def stall(address, api_key: str) -> socket.socket:
    """Open a connection that sends headers and only part of a 1000-byte body."""
    sock = socket.create_connection(address, timeout=10)
    sock.sendall(
        b"POST /api/verify HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/json\r\n"
        + f"X-API-Key: {api_key}\r\n".encode()
        + b'Content-Length: 1000\r\n\r\n{"code": "'
    )
    return sock


@pytest.mark.slow
def test_fifty_stalled_bodies_leave_health_and_verify_answering(live_apiserver):
    live = live_apiserver
    code = live.issue()
    stalled = [stall(live.address, live.api_key) for _ in range(STALLED)]
    try:
        time.sleep(0.3)  # let every stalled request reach a worker thread
        health_status, _, health_s = live.request("GET", "/health", timeout=3)
        status, body, verify_s = live.request(
            "POST", "/api/verify", {"code": code}, timeout=3
        )
        print(
            f"\nslow clients: {STALLED} stalled bodies; /health {health_status}"
            f" in {health_s:.3f} s; verify {status} in {verify_s:.3f} s"
        )
        assert health_status == 200
        assert status == 200 and body["token"]
        # Each stalled connection is answered and closed once its read times
        # out (1 s here), instead of holding a thread for ever.
        answers = []
        for sock in stalled:
            sock.settimeout(10)
            answers.append(sock.recv(64))
        assert all(a == b"" or a.startswith(b"HTTP/1.1 408") for a in answers)
        print(f"stalled connections answered 408: {sum(bool(a) for a in answers)}")
    finally:
        for sock in stalled:
            sock.close()


@pytest.mark.slow
def test_oversized_headers_get_a_json_error(live_apiserver):
    sock = socket.create_connection(live_apiserver.address, timeout=10)
    try:
        sock.sendall(
            b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: "
            + b"a" * 9000
            + b"\r\n\r\n"
        )
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    finally:
        sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["errorCode"] == "unparsable_request"
