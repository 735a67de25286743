"""The bench's pure parts: /proc parsing, percentiles, goals and run comparison.

No timing here: the bench measures speed, these check its arithmetic.
"""

from __future__ import annotations

import json
import os
import statistics

import pytest

from bench import compare, loadgen, procstat, report
from bench.floor import exchange_floor_ms, issue_floor_ms
from bench.stats import latency_ms, per_op_ms, percentile, ratio, spread

# A gunicorn worker whose name holds spaces and parentheses, as comm may.
STAT = (
    "4242 (gunicorn: (worker) x) S 4200 4242 4200 0 -1 4194368 1205 0 0 0"
    " 731 219 5 3 20 0 65 0 43367 165257216 3470 18446744073709551615"
)


def test_parse_stat_counts_fields_from_the_last_parenthesis():
    stat = procstat.parse_stat(STAT)
    assert (stat.pid, stat.comm, stat.ppid) == (4242, "gunicorn: (worker) x", 4200)
    assert (stat.utime, stat.stime, stat.ticks) == (731, 219, 950)


def test_parse_stat_reads_this_process():
    stat = procstat.read_stat(os.getpid())
    assert stat.pid == os.getpid() and stat.ppid == os.getppid()


def test_parse_rss_kb():
    text = "Name:\tpython\nVmPeak:\t  9000 kB\nVmRSS:\t   51234 kB\nThreads:\t65\n"
    assert procstat.parse_rss_kb(text) == 51234
    assert procstat.parse_rss_kb("Name:\tkthreadd\n") == 0


def test_tree_finds_descendants_only():
    def s(pid, ppid):
        return procstat.Stat(pid, "x", ppid, 1, 1)

    stats = {
        p: s(p, pp)
        for p, pp in [(1, 0), (10, 1), (11, 10), (12, 10), (13, 11), (20, 1)]
    }
    assert sorted(procstat.tree(10, stats)) == [10, 11, 12, 13]
    assert procstat.tree(99, stats) == {}


def test_cpu_delta_counts_newborns_from_zero_and_drops_the_dead():
    hz = procstat.TICKS_PER_SECOND
    before = {1: 100, 2: 50, 3: 70}
    after = {1: 100 + hz, 2: 50 + hz // 2, 4: hz}  # 3 died, 4 was born
    assert procstat.cpu_delta(before, after) == pytest.approx(2.5, abs=1 / hz)


@pytest.mark.parametrize("q", [0, 1, 37.5, 50, 95, 99, 100])
def test_percentile_matches_inclusive_quantiles(q):
    samples = [0.013, 0.002, 0.5, 0.07, 0.07, 0.001, 0.3, 0.0099, 0.2, 0.011, 0.04]
    cuts = statistics.quantiles(samples, n=200, method="inclusive")
    expected = {0: min(samples), 100: max(samples)}.get(q) or cuts[int(q * 2) - 1]
    assert percentile(samples, q) == pytest.approx(expected)


def test_percentile_edges():
    assert percentile([], 50) is None
    assert percentile([3.0], 99) == 3.0
    assert percentile([1.0, 2.0], 50) == 1.5
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_latency_and_per_op():
    lat = latency_ms([0.001 * i for i in range(1, 101)])
    assert (lat["p50"], lat["p95"], lat["p99"], lat["samples"]) == (
        50.5,
        95.05,
        99.01,
        100,
    )
    assert per_op_ms(1.5, 1000) == 1.5
    assert per_op_ms(1.5, 0) is None
    assert ratio(1, 0) is None and ratio(None, 3) is None and ratio(1, 3) == 0.333


def test_spread_gives_quartiles_of_the_slices():
    assert spread([4.0, 1.0, 3.0, 2.0, 5.0]) == {
        "p25": 2.0,
        "p50": 3.0,
        "p75": 4.0,
        "slices": 5,
    }
    assert spread([])["p50"] is None


def test_parse_head():
    head = b"HTTP/1.1 201 Created\r\nContent-Length: 17\r\nConnection: close\r\n\r\n"
    assert loadgen.parse_head(head) == (201, 17, True)
    assert loadgen.parse_head(b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n") == (
        200,
        None,
        False,
    )


FLOOR = {
    "claim": {"total_cpu_ms": 0.4},
    "insert": {"total_cpu_ms": 0.3},
    "es256": {"sign_cpu_ms": 0.05, "verify_cpu_ms": 0.13},
}


def test_floors():
    # 2 requests + 2 claims + 2 signs + 1 verify.
    assert exchange_floor_ms(0.35, FLOOR) == pytest.approx(0.7 + 0.8 + 0.1 + 0.13)
    assert issue_floor_ms(0.35, FLOOR) == pytest.approx(0.65)


def _window(kind, clients, server, per_s, p50=10.0, p99=15.0, state=None, redis=False):
    return {
        "kind": kind,
        "clients": clients,
        "redis": redis,
        **({"table_state": state} if state else {}),
        "per_s": per_s,
        "latency_ms": {"p50": p50, "p95": p99, "p99": p99},
        "cpu_ms_per_op": {
            "server": server,
            "surface": server,
            "postgresql": 0.0,
            "redis": 0.0,
            "load_generator": 0.1,
        },
        "worker_rss_max_mb": 80.0,
    }


def _run(fresh_cpu=2.0, date="20260101T000000Z"):
    return {
        "date": date,
        "settings": {"clients_headline": 32},
        "floor": FLOOR,
        "batch_issue": {"codes": 10_000, "wall_s": 4.2},
        "postgresql": {"synchronous_commit": "on"},
        "load_average": {"start": [1.0]},
        "windows": [
            _window("trivial", 32, 0.35, 4000.0),
            _window("exchange", 32, fresh_cpu, 700.0, state="fresh"),
            _window("exchange", 32, 1.9, 900.0, state="analysed"),
            _window("exchange", 4, 1.9, 300.0, p99=30.0, state="analysed"),
            _window("issue", 32, 0.9, 1500.0, state="analysed"),
        ],
    }


def test_goals_pass_and_miss():
    verdicts = {goal: verdict for goal, _, verdict in report.goals(_run(fresh_cpu=2.3))}
    assert (
        verdicts["server CPU per exchange ≤ 2.2 ms, fresh (no statistics)"]
        == "**MISS**"
    )
    assert verdicts["server CPU per exchange ≤ 2.2 ms, after ANALYZE"] == "PASS"
    # 900 / 4000 = 0.225 >= 0.20; 700 / 4000 = 0.175 < 0.20.
    assert (
        verdicts["exchanges/s ≥ 0.20 × trivial requests/s at 32 clients, after ANALYZE"]
        == "PASS"
    )
    assert (
        verdicts["exchanges/s ≥ 0.20 × trivial requests/s at 32 clients, fresh"]
        == "**MISS**"
    )
    assert verdicts["exchange p99 < 25 ms at 4 clients"] == "**MISS**"
    assert verdicts["10,000-code batch issue < 5 s"] == "PASS"
    # 0.9 <= 1.5 * (0.35 + 0.3) = 0.975
    issue_goal = "/api/issue server CPU ≤ 1.5 × (trivial request + one insert's floor)"
    assert verdicts[issue_goal] == "PASS"


def test_compare_rows_and_deltas(tmp_path):
    old, new = _run(fresh_cpu=4.0), _run(fresh_cpu=2.0, date="20260102T000000Z")
    rows = {name: (a, b) for name, a, b in compare.compare(old, new)}
    assert rows["exchange c=32, fresh: server CPU ms/op"] == (4.0, 2.0)
    assert compare.compare(old, new)[0][0].endswith("server CPU ms/op")
    text = compare.render(old, new)
    assert "| exchange c=32, fresh: server CPU ms/op | 4 | 2 | -2 | -50.0 % |" in text
    # A figure only one run has is shown without a delta.
    new["windows"].append(_window("issue", 64, 1.1, 1400.0, state="analysed"))
    assert (
        "| issue c=64, analysed: server CPU ms/op | — | 1.1 | — | — |"
        in compare.render(old, new)
    )


def test_compare_picks_the_two_newest_runs(tmp_path, capsys):
    for day in ("20260101", "20260103", "20260102"):
        (tmp_path / f"{day}T000000Z.json").write_text(json.dumps(_run(date=day)))
    assert [p.name[:8] for p in compare.newest_two(tmp_path)] == [
        "20260102",
        "20260103",
    ]
    with pytest.raises(SystemExit):
        compare.newest_two(tmp_path / "none")
