"""A py-spy flame graph of one surface worker under load.

Usage: ``python -m bench.flame exchange|issue OUT.svg [--clients 32]``.

Starts the stack as bench/run.py does (private PostgreSQL, `encv up`'s
gunicorn argv, rate limiting off), drives 32 clients of exchanges (apiserver)
or issues (adminapi) and records one worker with ``py-spy --gil`` for ten
seconds: only the thread holding the GIL is sampled, so the graph shows
where the worker's Python CPU goes rather than where its threads wait.
``--format raw`` writes collapsed stacks instead, for counting by function.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import loadgen, stack, supply


def main(argv: list[str] | None = None) -> int:
    """Record the flame graph; print how many operations the load completed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("exchange", "issue"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--format", default="flamegraph", help="py-spy --format")
    args = parser.parse_args(argv)
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if spy is None:
        parser.error("py-spy is not installed (make install adds it)")
    work = Path(tempfile.mkdtemp(prefix="encv-flame-"))
    with stack.postgres(work) as dsn:
        env = stack.surface_env(dsn, work)
        creds = stack.bootstrap(env)
        admin = stack.Surface("adminapi", "adminapi", env, 2, work).start()
        api = stack.Surface("apiserver", "apiserver", env, 2, work).start()
        try:
            codes = []
            if args.kind == "exchange":
                codes = supply.issue_codes(admin.base, creds["admin_api_key"], 8000)
            surface = api if args.kind == "exchange" else admin
            recorder = subprocess.Popen(
                [spy, "record", "--nonblocking", "--gil", "-r", "250"]
                + ["-d", str(args.seconds), "-f", args.format, "-o", str(args.out)]
                + ["-p", str(surface.worker_pids()[0])],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            ctx = {
                "device_key": creds["device_api_key"],
                "admin_key": creds["admin_api_key"],
                "codes": codes,
            }
            driver = loadgen.exchange if args.kind == "exchange" else loadgen.issue
            rec, seconds, *_ = loadgen.run_window(
                surface.base, driver, ctx, args.clients, 1.0, args.seconds + 1.0
            )
            recorder.wait()
            print(f"{len(rec.latencies)} operations in {seconds:.1f} s -> {args.out}")
        finally:
            api.stop()
            admin.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
