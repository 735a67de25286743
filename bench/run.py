"""Run every benchmark (``make bench``); each lives in its own package."""

from __future__ import annotations


def main() -> None:
    """Run the benchmarks one after another."""
    from bench.issue.run import main as issue

    issue([])


if __name__ == "__main__":
    main()
