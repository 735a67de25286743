"""The Markdown report of one bench run, with the goals of issue 18."""

from __future__ import annotations

import json
from pathlib import Path

from bench.floor import exchange_floor_ms, issue_floor_ms
from bench.stats import ratio


def find(run: dict, kind: str, clients: int, state: str | None = None, redis=False):
    """Return the window of ``kind`` at ``clients`` (and table state), or None."""
    for w in run["windows"]:
        if (
            w["kind"] == kind
            and w["clients"] == clients
            and w["redis"] == redis
            and (state is None or w.get("table_state") == state)
        ):
            return w
    return None


def floors(run: dict) -> dict:
    """Return this run's floors (ms of server CPU): trivial, exchange, issue."""
    trivial = find(run, "trivial", run["settings"]["clients_headline"])
    t_ms = trivial["cpu_ms_per_op"]["surface"] if trivial else None
    if t_ms is None:
        return {"trivial": None, "exchange": None, "issue": None}
    return {
        "trivial": t_ms,
        "exchange": exchange_floor_ms(t_ms, run["floor"]),
        "issue": issue_floor_ms(t_ms, run["floor"]),
    }


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "**MISS**")


def _le(value, limit) -> bool | None:
    return None if value is None or limit is None else value <= limit


def goals(run: dict) -> list[tuple[str, str, str]]:
    """Return (goal, measured, verdict) for each goal of issue 18."""
    c = run["settings"]["clients_headline"]
    f = floors(run)
    fresh = find(run, "exchange", c, "fresh")
    analysed = find(run, "exchange", c, "analysed")
    trivial = find(run, "trivial", c)
    four = find(run, "exchange", 4, "analysed")
    issue = find(run, "issue", c)
    out = []
    for label, w in (("fresh (no statistics)", fresh), ("after ANALYZE", analysed)):
        cpu = w["cpu_ms_per_op"]["server"] if w else None
        limit = round(1.2 * f["exchange"], 3) if f["exchange"] else None
        out.append(
            (
                f"server CPU per exchange ≤ 2.2 ms, {label}",
                f"{cpu} ms",
                _verdict(_le(cpu, 2.2)),
            )
        )
        out.append(
            (
                f"… and ≤ 1.2 × this run's floor ({f['exchange']} ms), {label}",
                f"{cpu} ms (limit {limit})",
                _verdict(_le(cpu, limit)),
            )
        )
    for label, w in (("after ANALYZE", analysed), ("fresh", fresh)):
        r = ratio(w["per_s"], trivial["per_s"]) if w and trivial else None
        out.append(
            (
                f"exchanges/s ≥ 0.20 × trivial requests/s at {c} clients, {label}",
                f"{r}",
                _verdict(None if r is None else r >= 0.20),
            )
        )
    lat = analysed["latency_ms"] if analysed else None
    out.append(
        (
            f"exchange p99 ≤ 2 × p50 at {c} clients",
            f"p50 {lat['p50']} / p99 {lat['p99']} ms" if lat else "—",
            _verdict(_le(lat["p99"], 2 * lat["p50"]) if lat and lat["p50"] else None),
        )
    )
    p99 = four["latency_ms"]["p99"] if four else None
    out.append(
        (
            "exchange p99 < 25 ms at 4 clients",
            f"{p99} ms",
            _verdict(None if p99 is None else p99 < 25),
        )
    )
    cpu = issue["cpu_ms_per_op"]["server"] if issue else None
    limit = round(1.5 * f["issue"], 3) if f["issue"] else None
    out.append(
        (
            "/api/issue server CPU ≤ 1.5 × (trivial request + one insert's floor)",
            f"{cpu} ms (limit {limit})",
            _verdict(_le(cpu, limit)),
        )
    )
    batch = run.get("batch_issue", {})
    wall = batch.get("wall_s")
    full = batch.get("codes", 0) >= 10_000
    out.append(
        (
            "10,000-code batch issue < 5 s",
            f"{batch.get('codes')} codes in {wall} s",
            _verdict(wall < 5 if full and wall is not None else None),
        )
    )
    rss = max(
        (w["worker_rss_max_mb"] for w in run["windows"] if w["kind"] != "trivial"),
        default=None,
    )
    out.append(
        (
            "gunicorn worker RSS under load < 150 MB",
            f"{rss} MB",
            _verdict(_le(rss, 150)),
        )
    )
    sc = run.get("postgresql", {}).get("synchronous_commit")
    out.append(("synchronous_commit stays on", f"{sc}", _verdict(sc == "on")))
    out.append(
        (
            "claims single-use under races, every protocol check kept",
            "tests/ (race tests), not the bench",
            "n/a",
        )
    )
    return out


def _ms(value) -> str:
    return "—" if value is None else f"{value}"


WINDOW_COLUMNS = (
    "clients",
    "table state",
    "Redis",
    "per s",
    "p50",
    "p95",
    "p99 ms",
    "server CPU ms/op",
    "1-s slices p25–p75",
    "of which surface",
    "PostgreSQL",
    "Redis",
    "CPU ms/request",
    "load gen ms/op",
    "worker RSS MB",
    "errors",
    "load avg",
)


def _quartiles(slices: dict | None) -> str:
    if not slices or slices.get("p25") is None:
        return "—"
    return f"{slices['p25']}–{slices['p75']}"


def _table(header, rows) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def _window_rows(run: dict, kind: str) -> list[str]:
    rows = []
    for w in run["windows"]:
        if w["kind"] != kind:
            continue
        lat, cpu = w["latency_ms"], w["cpu_ms_per_op"]
        load = w["load_average_1m"]
        rows.append(
            (
                w["clients"],
                w.get("table_state", "—"),
                "on" if w["redis"] else "off",
                w["per_s"],
                lat["p50"],
                lat["p95"],
                lat["p99"],
                f"**{_ms(cpu['server'])}**",
                _quartiles(w.get("cpu_ms_per_op_slices")),
                _ms(cpu["surface"]),
                _ms(cpu["postgresql"]),
                _ms(cpu["redis"]),
                _ms(w["cpu_ms_per_request"]),
                _ms(cpu["load_generator"]),
                w["worker_rss_max_mb"],
                w["errors"],
                f"{load[0]}→{load[1]}",
            )
        )
    return _table(WINDOW_COLUMNS, rows)


def _headline(run: dict) -> list[str]:
    c = run["settings"]["clients_headline"]
    f = floors(run)
    trivial = find(run, "trivial", c)
    states = (
        (
            f"right after a burst of {run['settings'].get('burst_codes', '?')}"
            " codes, no statistics",
            "fresh",
            False,
        ),
        ("after ANALYZE", "analysed", False),
        ("after ANALYZE, Redis cache", "analysed", True),
    )
    rows = []
    for label, state, redis in states:
        w = find(run, "exchange", c, state, redis=redis)
        if w is None:
            continue
        cpu = w["cpu_ms_per_op"]
        rows.append(
            (
                label,
                ratio(w["per_s"], trivial["per_s"]) if trivial else "—",
                f"**{cpu['server']} ms**",
                f"{cpu['surface']} ms",
                f"{cpu['postgresql']} ms",
                f"{cpu['redis']} ms",
                ratio(cpu["server"], f["exchange"]),
            )
        )
    if trivial:
        per_request = trivial["cpu_ms_per_op"]["surface"]
        rows.append(
            (
                "trivial Falcon app, same gunicorn settings",
                f"{trivial['per_s']} req/s",
                f"{per_request} ms per request",
                "",
                "",
                "",
                "",
            )
        )
    header = (
        f"state ({c} clients)",
        "exchanges/s : trivial requests/s",
        "server CPU per exchange",
        "of which apiserver",
        "of which PostgreSQL",
        "of which Redis",
        "× floor",
    )
    return _table(header, rows)


def _floor_rows(run: dict) -> list[str]:
    fl, f = run["floor"], floors(run)
    es = fl["es256"]
    claim, insert = fl["claim"], fl["insert"]
    c = run["settings"]["clients_headline"]
    rows = [
        (f"trivial request ({c} clients)", "", "", f["trivial"]),
        (
            "claim statement + COMMIT (prepared)",
            claim["client_cpu_ms"],
            claim["postgresql_cpu_ms"],
            claim["total_cpu_ms"],
        ),
        (
            "insert + COMMIT (prepared)",
            insert["client_cpu_ms"],
            insert["postgresql_cpu_ms"],
            insert["total_cpu_ms"],
        ),
        ("ES256 sign", es["sign_cpu_ms"], "", es["sign_cpu_ms"]),
        ("ES256 verify", es["verify_cpu_ms"], "", es["verify_cpu_ms"]),
        (
            "**exchange floor** (2 requests, 2 claims, 2 signs, 1 verify)",
            "",
            "",
            f"**{f['exchange']}**",
        ),
        ("**issue floor** (1 request, 1 insert)", "", "", f"**{f['issue']}**"),
    ]
    header = ("floor item", "client CPU ms", "PostgreSQL CPU ms", "total ms")
    return _table(header, rows)


def _stats_rows(run: dict) -> list[str]:
    rows = [
        (
            when,
            t["table"],
            t["live_rows"],
            t["modified_since_analyze"],
            t["last_analyze"] or "—",
            t["last_autoanalyze"] or "—",
            t["planner_reltuples"],
        )
        for when, tables in run["table_stats"].items()
        for t in tables
    ]
    header = (
        "when",
        "table",
        "live rows",
        "modified since analyze",
        "last_analyze",
        "last_autoanalyze",
        "planner reltuples",
    )
    return _table(header, rows)


def render(run: dict) -> str:
    """Return the run's Markdown report."""
    s = run["settings"]
    batch = run["batch_issue"]
    pg = run["postgresql"]
    lines = [
        f"# Bench run {run['date']}{' (quick)' if run['quick'] else ''}",
        "",
        f"Settings for every figure unless a column says otherwise: {s['cpus']} CPUs"
        f" shared by the surfaces, PostgreSQL and the load generator; gunicorn"
        f" {s['workers']} workers × {s['threads']} threads, worker class"
        f" `{s['worker_class']}` (`encv.gunicorn_conf`, the argv of `encv up`"
        f"{', GUNICORN_CMD_ARGS ' + repr(s['extra_args']) if s['extra_args'] else ''});"
        f" rate limiting **off** (RATE_LIMIT_TYPE=noop) so the work is measured;"
        f" clients on kept-alive connections: {s['keepalive']};"
        f" ENCV_LOG_LEVEL={s.get('log_level')} (INFO would add an access line per"
        " request); Prometheus multiprocess metrics as `encv up`:"
        f" {s.get('metrics')};"
        f" {s['warmup_s']} s warm-up then {s['duration_s']} s measured per window;"
        f" PostgreSQL {pg['version']}, {pg['where']}, synchronous_commit"
        f" = {pg['synchronous_commit']}. Server CPU = user + system time from"
        " /proc of the surface's gunicorn master and workers + every PostgreSQL"
        " process of the bench database (backends, WAL writer, checkpointer, …)"
        " + Redis when on, between the edges of the measured window, divided by"
        " the operations completed in it. It does not depend on the machine's"
        " load; throughput and latency do (load average"
        f" {run['load_average']['start'][0]} at start, {run['load_average']['end'][0]}"
        f" at end; the box is shared). Whole run: {run['wall_s']} s.",
        "",
        "## Exchange (code → token → certificate)",
        "",
        *_headline(run),
        "",
        "## Floor, measured in this run",
        "",
        *_floor_rows(run),
        "",
        "## Goals (issue 18)",
        "",
        "| goal | measured | verdict |",
        "|---|---|---|",
        *[f"| {g} | {m} | {v} |" for g, m, v in goals(run)],
        "",
        "## Concurrency sweeps",
        "",
        "Exchanges (an operation is two requests):",
        "",
        *_window_rows(run, "exchange"),
        "",
        "`POST /api/issue` (one code per request):",
        "",
        *_window_rows(run, "issue"),
        "",
        "Trivial Falcon app (`bench/trivial.py`), same gunicorn settings:",
        "",
        *_window_rows(run, "trivial"),
        "",
        "## Planner statistics",
        "",
        "Autovacuum is held off every table from bootstrap until the fresh"
        " window has run, so the fresh state has no statistics for the burst;"
        " then handed back, and ANALYZE runs before each later window."
        " last_analyze, last_autoanalyze and reltuples (-1: never analysed) are"
        " exact; live rows and modifications come from the cumulative"
        " statistics, which busy backends flush about once a second and idle"
        " ones within 10 s, so they trail the window a little.",
        "",
        *_stats_rows(run),
        "",
        "## Batch issue",
        "",
        f"`/api/batch-issue`: {batch['codes']} codes in batches of"
        f" {batch['batch_size']}, one request after another on one connection,"
        f" in-process cache: **{batch['wall_s']} s**.",
        "",
        "Raw figures: `bench/reports/runs/" + run["date"] + ".json`;"
        " compare two runs with `make bench-compare`.",
        "",
    ]
    return "\n".join(lines)


def write_reports(run: dict, out: Path) -> list[Path]:
    """Write runs/<date>.json, bench-<date>.md and bench-latest.md under ``out``."""
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    text = render(run)
    paths = [
        runs / f"{run['date']}.json",
        out / f"bench-{run['date']}.md",
        out / "bench-latest.md",
    ]
    paths[0].write_text(json.dumps(run, indent=1) + "\n")
    paths[1].write_text(text)
    paths[2].write_text(text)
    return paths
