"""Scale-out proof: 3 apiserver + 2 adminapi hosts and a duty runner, each in
its own network namespace, sharing only PostgreSQL and Redis, behind HAProxy.

Run with ``ENCV_MULTIHOST=1 pytest -p no:xdist -s -m multihost tests/deploy``
(``.ci/run`` does). The figures are printed and written to
``tests/.artifacts/multihost.json``.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.deploy import multihost as mh

pytestmark = [
    pytest.mark.multihost,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("ENCV_MULTIHOST"),
        reason="set ENCV_MULTIHOST=1 to build the namespaces (.ci/run does)",
    ),
]

RATE_TOKENS = 25  # per (realm, client IP) per hour, on every host
QUOTA = 6  # codes per day for the quota realm
FIGURES: dict = {}
_ips = itertools.count()


def fresh_ip() -> str:
    """A client address nobody used yet (198.18/15: benchmark range, header only)."""
    n = next(_ips)
    return f"198.18.{n // 250 % 256}.{n % 250 + 1}"


@dataclass
class Answer:
    status: int  # 0: the connection failed
    body: dict
    served_by: str
    headers: dict


def post(base: str, path: str, key: str, body: dict, xff: str | None = None) -> Answer:
    """POST JSON on a new connection (no stale keep-alive); never raises on I/O."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    headers["X-Forwarded-For"] = xff or fresh_ip()
    try:
        conn.request("POST", path, json.dumps(body), headers)
        resp = conn.getresponse()
        raw = resp.read()
    except (OSError, http.client.HTTPException):
        return Answer(0, {}, "", {})
    finally:
        conn.close()
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {"raw": raw[:200].decode(errors="replace")}
    return Answer(
        resp.status,
        data,
        resp.getheader("X-Served-By") or "",
        {k.lower(): v for k, v in resp.getheaders()},
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = mh.missing_prerequisite()
    if reason:
        pytest.skip(reason)
    import tempfile

    stack = mh.Cluster(Path(tempfile.mkdtemp(prefix=f"{mh.PREFIX}-work-")))
    try:
        stack.open(
            {
                "ENCV_WORKERS": "2",
                "RATE_LIMIT_TOKENS": str(RATE_TOKENS),
                "RATE_LIMIT_INTERVAL": "1h",
            }
        )
        yield stack
    finally:
        stack.close()
        left = mh.leftovers()
        report = Path(__file__).resolve().parents[1] / ".artifacts" / "multihost.json"
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps({**FIGURES, "leftovers": left}, indent=2))
        print("\nmultihost figures:", json.dumps(FIGURES, indent=2))
        assert left == [], f"left behind: {left}"


def seed(cluster, name: str, **realm_settings) -> tuple[int, str, str]:
    """Commit a realm with an ADMIN and a DEVICE key; return (id, admin, device)."""
    from db.pool import SingleConnectionSource
    from models.realms.apikeys import KeyType
    from models.services import build_services
    from models.settings import Settings
    from tests.issuing import make_key, make_realm
    from tests.support import make_env

    settings = Settings.from_env(make_env(DATABASE_URL=cluster.database_url))
    with psycopg.connect(cluster.database_url, autocommit=True) as conn:
        services = build_services(settings, db=SingleConnectionSource(conn))
        realm_id = make_realm(conn, name, **realm_settings)
        admin, _ = make_key(conn, services, realm_id, KeyType.ADMIN, "admin")
        device, _ = make_key(conn, services, realm_id, KeyType.DEVICE, "device")
        services.close()
    return realm_id, admin, device


def issue_many(cluster, admin: str, n: int, workers: int = 16) -> list[dict]:
    """Issue ``n`` codes through HAProxy; every answer must be 200."""
    body = {"testType": "confirmed"}
    with ThreadPoolExecutor(workers) as pool:
        answers = list(
            pool.map(
                lambda _: post(cluster.admin_url, "/api/issue", admin, body), range(n)
            )
        )
    assert Counter(a.status for a in answers) == {200: n}, answers[:3]
    return [a.body for a in answers]


def db_one(cluster, sql: str, *params):
    with psycopg.connect(cluster.database_url) as conn:
        return conn.execute(sql, params).fetchone()[0]


def test_a_thousand_parallel_verifies_claim_each_code_exactly_once(cluster):
    realm_id, admin, device = seed(cluster, "MH Verify")
    codes = [c["code"] for c in issue_many(cluster, admin, 500)]
    attempts = codes * 2
    random.Random(7).shuffle(attempts)

    def verify(code: str) -> tuple[str, Answer]:
        return code, post(cluster.api_url, "/api/verify", device, {"code": code})

    started = time.monotonic()
    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(verify, attempts))
    FIGURES["verify_1000_seconds"] = round(time.monotonic() - started, 2)

    by_code: dict[str, list[Answer]] = {}
    for code, answer in results:
        by_code.setdefault(code, []).append(answer)
    for code, answers in by_code.items():
        assert sorted(a.status for a in answers) == [200, 400], code
        [refused] = [a for a in answers if a.status == 400]
        assert refused.body["errorCode"] == "code_invalid"
    hosts = Counter(a.served_by for _, a in results)
    FIGURES["verify_1000_by_host"] = dict(sorted(hosts.items()))
    assert set(hosts) == {"api1", "api2", "api3"}
    assert min(hosts.values()) >= 200, hosts
    winners = Counter(a.served_by for _, a in results if a.status == 200)
    assert len(winners) == 3, winners  # successful claims happened on every host
    claimed = "SELECT count(*) FROM verification_codes WHERE realm_id = %s AND claimed"
    assert db_one(cluster, claimed, realm_id) == 500
    assert (
        db_one(cluster, "SELECT count(*) FROM tokens WHERE realm_id = %s", realm_id)
        == 500
    )


def _direct(octet: int) -> str:
    return f"http://{mh.SUBNET}.{octet}:{mh.HOST_PORT}"


def test_a_realms_rate_limit_holds_across_hosts(cluster):
    _, _, device = seed(cluster, "MH Rate")
    client = fresh_ip()
    answers = [
        post(cluster.api_url, "/api/verify", device, {"code": "00000000"}, xff=client)
        for _ in range(RATE_TOKENS)
    ]
    assert all(a.status == 400 for a in answers), [a.status for a in answers]
    assert {a.served_by for a in answers} == {"api1", "api2", "api3"}
    # One shared bucket: the hosts counted down 24, 23 ... 0 between them.
    remaining = [int(a.headers["x-ratelimit-remaining"]) for a in answers]
    assert remaining == list(range(RATE_TOKENS - 1, -1, -1))
    # Request N+1 is refused whichever host it reaches, as the LB would send it.
    for name in ("api1", "api2", "api3"):
        _, octet = mh.HOSTS[name]
        answer = post(
            _direct(octet),
            "/api/verify",
            device,
            {"code": "0"},
            xff=f"{client}, {mh.GATEWAY}",
        )
        assert answer.status == 429, (name, answer)
    assert (
        post(cluster.api_url, "/api/verify", device, {"code": "0"}, xff=client).status
        == 429
    )
    # Another client of the same realm still has its own full bucket.
    assert post(cluster.api_url, "/api/verify", device, {"code": "0"}).status == 400


def test_a_realms_daily_quota_holds_across_hosts(cluster):
    realm_id, admin, _ = seed(
        cluster, "MH Quota", abuse_prevention_enabled=True, abuse_prevention_limit=QUOTA
    )
    body = {"testType": "confirmed"}
    answers = [post(cluster.admin_url, "/api/issue", admin, body) for _ in range(QUOTA)]
    assert [a.status for a in answers] == [200] * QUOTA
    assert {a.served_by for a in answers} == {"adm1", "adm2"}
    for name in ("adm1", "adm2"):
        _, octet = mh.HOSTS[name]
        answer = post(
            _direct(octet), "/api/issue", admin, body, xff=f"{fresh_ip()}, {mh.GATEWAY}"
        )
        assert (answer.status, answer.body.get("errorCode")) == (
            429,
            "quota_exceeded",
        ), name
    assert post(cluster.admin_url, "/api/issue", admin, body).status == 429
    issued = "SELECT count(*) FROM verification_codes WHERE realm_id = %s"
    assert db_one(cluster, issued, realm_id) == QUOTA


def test_a_duty_started_on_two_hosts_at_once_runs_once(cluster):
    import subprocess

    runs = {
        host: cluster.in_host(
            host,
            "job",
            "cleanup_job",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for host in ("duty", "api1")
    }
    outputs = {}
    for host, proc in runs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, (host, err[-2000:])
        outputs[host] = out.strip()
    skipped = [h for h, out in outputs.items() if "skipped" in out]
    worked = [h for h, out in outputs.items() if "skipped" not in out]
    FIGURES["duty"] = outputs
    assert len(skipped) == 1 and len(worked) == 1, outputs
    assert outputs[worked[0]].startswith("cleanup_job: succeeded (20 success")
    generation = "SELECT generation FROM lock_statuses WHERE type = 'cleanupLock'"
    assert db_one(cluster, generation) == 1  # taken once, by one host


def _throughput(cluster, device: str, codes: list[str], clients: int = 16) -> float:
    """Verifies per second for ``codes`` through HAProxy (bounded by count)."""
    started = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        answers = list(
            pool.map(
                lambda c: post(cluster.api_url, "/api/verify", device, {"code": c}),
                codes,
            )
        )
    elapsed = time.monotonic() - started
    assert Counter(a.status for a in answers) == {200: len(codes)}
    return len(codes) / elapsed


def test_throughput_with_one_two_and_three_api_hosts(cluster):
    _, admin, device = seed(cluster, "MH Throughput")
    per_round, order = 200, (1, 2, 3, 3, 2, 1)  # alternate: the box is shared
    warm_up = 60
    issued = issue_many(cluster, admin, per_round * len(order) + warm_up)
    codes = iter([c["code"] for c in issued])
    _throughput(cluster, device, [next(codes) for _ in range(warm_up)])
    names = ["api1", "api2", "api3"]
    rates: dict[int, list[float]] = {1: [], 2: [], 3: []}
    load_before = os.getloadavg()[0]
    try:
        for count in order:
            for i, name in enumerate(names):
                state = "ready" if i < count else "maint"
                cluster.haproxy(f"set server apiservers/{name} state {state}")
            want = {n: ("UP" if i < count else "MAINT") for i, n in enumerate(names)}
            cluster.wait_states("apiservers", want)
            batch = [next(codes) for _ in range(per_round)]
            rates[count].append(round(_throughput(cluster, device, batch), 1))
    finally:
        for name in names:
            cluster.haproxy(f"set server apiservers/{name} state ready")
        cluster.wait_states("apiservers", dict.fromkeys(names, "UP"))
    best = {count: max(values) for count, values in rates.items()}
    FIGURES["verifies_per_second_by_api_hosts"] = {"best": best, "rounds": rates}
    FIGURES["load_average_1m"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    FIGURES["cpus"] = os.cpu_count()
    print(
        f"\nverifies/s through HAProxy with 1, 2, 3 apiserver hosts (best of 2): {best};"
        f" rounds {rates}; load average {FIGURES['load_average_1m']}."
        f" {os.cpu_count()} CPUs are shared by every host, PostgreSQL, Redis and the"
        " client, so the curve is flat here: it shows the mechanism, not capacity."
    )
    assert all(len(values) == 2 for values in rates.values())


def test_killing_an_api_host_mid_load_loses_no_code_and_haproxy_routes_around(cluster):
    realm_id, admin, device = seed(cluster, "MH Kill")
    codes = [c["code"] for c in issue_many(cluster, admin, 300)]
    done = Counter()
    killed = threading.Event()
    issued_during: list[dict] = []

    def verify(code: str) -> tuple[str, Answer]:
        answer = post(cluster.api_url, "/api/verify", device, {"code": code})
        done["n"] += 1
        return code, answer

    def issue_during_load() -> None:
        for _ in range(100):
            answer = post(
                cluster.admin_url, "/api/issue", admin, {"testType": "confirmed"}
            )
            if answer.status == 200:
                issued_during.append(answer.body)

    def killer() -> None:
        deadline = time.monotonic() + 60
        while done["n"] < 100 and time.monotonic() < deadline:
            time.sleep(0.01)
        cluster.kill_host("api3")
        killed.set()

    with ThreadPoolExecutor(18) as pool:
        side = [pool.submit(killer), pool.submit(issue_during_load)]
        results = list(pool.map(verify, codes))
        for future in side:
            future.result(timeout=120)
    assert killed.is_set()
    cluster.wait_states("apiservers", {"api3": "DOWN", "api1": "UP", "api2": "UP"})

    # Requests whose answer was lost with the host are retried by the client.
    failed = [code for code, a in results if a.status not in (200, 400)]
    lost_answers = 0
    for code in failed:
        retry = post(cluster.api_url, "/api/verify", device, {"code": code})
        assert retry.status in (200, 400) and retry.served_by != "api3", retry
        if retry.status == 400:  # api3 claimed it, then died before answering
            assert retry.body["errorCode"] == "code_invalid"
            lost_answers += 1
    ok = sum(a.status == 200 for _, a in results) + len(failed) - lost_answers
    assert ok + lost_answers == len(codes)
    assert all(a.status in (200, 502, 503) for _, a in results), Counter(
        a.status for _, a in results
    )
    claimed = "SELECT count(*) FROM verification_codes WHERE realm_id = %s AND claimed"
    assert db_one(cluster, claimed, realm_id) == len(codes)

    # Every code issued while the host died is there and verifies once.
    assert len(issued_during) == 100
    after = [
        post(cluster.api_url, "/api/verify", device, {"code": c["code"]})
        for c in issued_during
    ]
    assert Counter(a.status for a in after) == {200: 100}
    assert {a.served_by for a in after} == {"api1", "api2"}
    FIGURES["kill"] = {
        "requests": len(codes),
        "answers_lost_in_flight": len(failed),
        "claims_whose_answer_was_lost": lost_answers,
        "issued_during_load": len(issued_during),
        "served_after_kill": dict(Counter(a.served_by for a in after)),
    }
