"""``make bench-compare``: the newest bench run against the one before it.

Usage: ``python -m bench.compare [OLD.json NEW.json]``; without files, the two
newest files of bench/reports/runs/. Prints one row per figure: old, new,
difference and relative difference (server CPU first: it is the figure that
does not depend on the machine's load).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

RUNS = Path(__file__).resolve().parent / "reports" / "runs"


def _label(w: dict) -> str:
    state = w.get("table_state")
    redis = ", Redis" if w["redis"] else ""
    return f"{w['kind']} c={w['clients']}{', ' + state if state else ''}{redis}"


def metrics(run: dict) -> dict[str, float]:
    """Flatten one run into {figure name: value} (only numbers that exist)."""
    out: dict[str, float] = {}
    fl = run.get("floor", {})
    for item in ("claim", "insert"):
        if item in fl:
            out[f"floor: {item} + COMMIT, CPU ms"] = fl[item]["total_cpu_ms"]
    if "es256" in fl:
        out["floor: ES256 sign, CPU ms"] = fl["es256"]["sign_cpu_ms"]
        out["floor: ES256 verify, CPU ms"] = fl["es256"]["verify_cpu_ms"]
    for w in run.get("windows", []):
        name = _label(w)
        cpu = w["cpu_ms_per_op"]
        out[f"{name}: server CPU ms/op"] = cpu["server"]
        out[f"{name}: surface CPU ms/op"] = cpu["surface"]
        out[f"{name}: PostgreSQL CPU ms/op"] = cpu["postgresql"]
        out[f"{name}: per s"] = w["per_s"]
        out[f"{name}: p50 ms"] = w["latency_ms"]["p50"]
        out[f"{name}: p99 ms"] = w["latency_ms"]["p99"]
        out[f"{name}: worker RSS MB"] = w["worker_rss_max_mb"]
    batch = run.get("batch_issue")
    if batch:
        out[f"batch issue {batch['codes']} codes: s"] = batch["wall_s"]
    return {k: v for k, v in out.items() if isinstance(v, int | float)}


def _order(name: str) -> tuple:
    return (": server CPU" not in name, name.startswith("floor"), name)


def compare(old: dict, new: dict) -> list[tuple[str, float | None, float | None]]:
    """Return (figure, old, new) for every figure in either run, CPU first."""
    a, b = metrics(old), metrics(new)
    return [
        (name, a.get(name), b.get(name))
        for name in sorted(a.keys() | b.keys(), key=_order)
    ]


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def render(old: dict, new: dict) -> str:
    """Return a Markdown table of the deltas between two runs."""
    lines = [
        f"Bench {old.get('date')} → {new.get('date')}"
        f" (load average at start {old.get('load_average', {}).get('start', ['?'])[0]}"
        f" → {new.get('load_average', {}).get('start', ['?'])[0]})",
        "",
        "| figure | old | new | delta | delta % |",
        "|---|---|---|---|---|",
    ]
    for name, a, b in compare(old, new):
        if a is None or b is None:
            delta = pct = "—"
        else:
            delta = f"{b - a:+.3g}"
            pct = f"{(b - a) / a * 100:+.1f} %" if a else "—"
        lines.append(f"| {name} | {_num(a)} | {_num(b)} | {delta} | {pct} |")
    return "\n".join(lines) + "\n"


def newest_two(runs: Path = RUNS) -> tuple[Path, Path]:
    """Return the two newest run files (names sort by time)."""
    files = sorted(runs.glob("*.json"))
    if len(files) < 2:
        raise SystemExit(f"bench-compare needs two runs in {runs}; run `make bench`")
    return files[-2], files[-1]


def main(argv: list[str] | None = None) -> int:
    """Print the comparison of two runs."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (0, 2):
        raise SystemExit("usage: python -m bench.compare [OLD.json NEW.json]")
    old, new = (Path(p) for p in argv) if argv else newest_two()
    print(render(json.loads(old.read_text()), json.loads(new.read_text())), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
