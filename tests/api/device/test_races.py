"""Double spending over real HTTP: 50 parallel requests, exactly one winner."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg

TEK_HMAC = "2u1nHt5WWurJytFLF3xitNzM99oNrad2y4YGOL53AeY="
PARALLEL = 50


def _storm(call):
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(lambda _: call(), range(PARALLEL)))


def test_one_code_yields_exactly_one_token(live_device, fresh_db):
    issued = live_device.issue()
    results = _storm(lambda: live_device.post("/api/verify", {"code": issued.code}))
    winners = [body for status, body, _ in results if status == 200]
    losers = [body for status, body, _ in results if status != 200]
    assert len(winners) == 1
    assert {(b["errorCode"]) for b in losers} == {"code_invalid"}
    with psycopg.connect(fresh_db) as conn:
        tokens = conn.execute("SELECT count(*) FROM tokens").fetchone()[0]
        claimed = conn.execute(
            "SELECT codes_claimed, codes_invalid FROM realm_stats_daily"
        ).fetchone()
    assert tokens == 1
    # "already claimed" refusals are not counted as invalid codes (protocol §11).
    assert claimed == (1, 0)


def test_one_token_yields_exactly_one_certificate(live_device, fresh_db):
    issued = live_device.issue()
    status, body, _ = live_device.post("/api/verify", {"code": issued.code})
    assert status == 200
    token = body["token"]
    results = _storm(
        lambda: live_device.post(
            "/api/certificate", {"token": token, "ekeyhmac": TEK_HMAC}
        )
    )
    winners = [body for status, body, _ in results if status == 200]
    losers = [(status, body) for status, body, _ in results if status != 200]
    assert len(winners) == 1 and winners[0]["certificate"]
    assert {(s, b["errorCode"], b["error"]) for s, b in losers} == {
        (400, "token_expired", "verification token invalid")
    }
    with psycopg.connect(fresh_db) as conn:
        row = conn.execute(
            "SELECT tokens_claimed, tokens_invalid FROM realm_stats_daily"
        ).fetchone()
        used = conn.execute("SELECT count(*) FROM tokens WHERE used").fetchone()[0]
    assert row == (1, 0) and used == 1
