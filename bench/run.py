"""``make bench``: run the benchmarks and write a report under bench/reports/."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.exchange import run as exchange
from bench.issue import run as issue

REPORTS = Path(__file__).parent / "reports"


def render(figures: dict) -> str:
    """Return a short Markdown report of the exchange benchmark."""
    trivial, ex = figures["trivial"], figures["exchange"]
    lines = [
        f"# Device API exchange benchmark ({figures['date']})",
        "",
        f"{figures['clients']} concurrent clients, gunicorn"
        f" {figures['workers']} threaded workers, {figures['cpus']} CPUs shared"
        f" with PostgreSQL and the load"
        f" generator; {figures['rounds']} alternating rounds of"
        f" {figures['duration_s']} s measured after warm-up;"
        f" Redis cache: {figures['redis']}; 1-minute load average before/after:"
        f" {figures['load_average_1m']} (the box is shared: compare the ratio).",
        "",
        "| measurement | per second | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
        _row(
            "trivial Falcon endpoint (requests)",
            trivial["requests_per_s"],
            trivial["latency_ms"],
            trivial["errors"],
        ),
        _row(
            "code -> token -> certificate (exchanges)",
            ex["exchanges_per_s"],
            ex["exchange_latency_ms"],
            ex["errors"],
        ),
        _row(
            "device API requests (verify + certificate)",
            ex["requests_per_s"],
            ex["request_latency_ms"],
            ex["errors"],
        ),
        "",
        "Exchanges/s over trivial requests/s:"
        f" **{figures['ratio_exchanges_to_trivial']}** (goal 0.30).",
        "",
        "```json",
        json.dumps(figures, indent=2),
        "```",
        "",
    ]
    return "\n".join(lines)


def _row(name: str, rate: float, latency: dict, errors: int) -> str:
    return (
        f"| {name} | {rate} | {latency['p50']} | {latency['p95']} | {latency['p99']}"
        f" | {errors} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the exchange and issue benchmarks, print and store the reports."""
    figures = exchange.main(argv)
    report = render(figures)
    REPORTS.mkdir(exist_ok=True)
    stamp = figures["date"].replace(":", "").replace("-", "")
    (REPORTS / f"exchange-{stamp}.md").write_text(report)
    (REPORTS / "exchange-latest.md").write_text(report)
    print(report)
    issue_report = issue.render(issue.main([]))
    (REPORTS / f"issue-{stamp}.md").write_text(issue_report)
    (REPORTS / "issue-latest.md").write_text(issue_report)
    print(issue_report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
