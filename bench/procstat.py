"""CPU time and memory of process groups, read from /proc (Linux only).

The bench's headline figure is server CPU per request: the user + system time
that the processes serving a surface (gunicorn master and workers) and every
PostgreSQL process spent between two samples, divided by the requests that
completed in between. Unlike throughput it does not depend on what else the
(shared) machine is doing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Stat:
    """The fields of /proc/<pid>/stat the bench uses (times in clock ticks)."""

    pid: int
    comm: str
    ppid: int
    utime: int
    stime: int

    @property
    def ticks(self) -> int:
        """Return user + system time of the process (all its threads)."""
        return self.utime + self.stime


def parse_stat(text: str) -> Stat:
    """Parse one /proc/<pid>/stat line.

    The command name sits in parentheses and may itself hold spaces or
    parentheses, so the fields are counted from the last ``)``.
    """
    head, _, tail = text.rpartition(")")
    pid_text, _, comm = head.partition(" (")
    fields = tail.split()
    # fields[0] is field 3 (state) of proc(5): field n is fields[n - 3].
    return Stat(
        pid=int(pid_text),
        comm=comm,
        ppid=int(fields[1]),
        utime=int(fields[11]),
        stime=int(fields[12]),
    )


def parse_rss_kb(status_text: str) -> int:
    """Return VmRSS in kB from a /proc/<pid>/status text (0 if absent)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def read_stat(pid: int, proc: Path = PROC) -> Stat | None:
    """Return the stat of ``pid``, or None if it has gone."""
    try:
        return parse_stat((proc / str(pid) / "stat").read_text())
    except (FileNotFoundError, ProcessLookupError):
        return None


def rss_kb(pid: int, proc: Path = PROC) -> int:
    """Return the resident set size of ``pid`` in kB (0 if it has gone)."""
    try:
        return parse_rss_kb((proc / str(pid) / "status").read_text())
    except (FileNotFoundError, ProcessLookupError):
        return 0


def all_stats(proc: Path = PROC) -> dict[int, Stat]:
    """Return the stat of every process visible in ``proc``."""
    stats = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            stat = read_stat(int(entry.name), proc)
            if stat is not None:
                stats[stat.pid] = stat
    return stats


def tree(root: int, stats: dict[int, Stat]) -> dict[int, Stat]:
    """Return ``root`` and all its descendants found in ``stats``."""
    children: dict[int, list[int]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats and pid not in found:
            found[pid] = stats[pid]
            todo += children.get(pid, [])
    return found


def cpu_delta(before: dict[int, int], after: dict[int, int]) -> float:
    """Return the CPU seconds spent between two {pid: ticks} samples.

    A process born in between counts from zero; one that died in between is
    lost (the bench keeps its processes alive through a window).
    """
    ticks = sum(value - before.get(pid, 0) for pid, value in after.items())
    return ticks / TICKS_PER_SECOND


def own_cpu_seconds() -> float:
    """Return this process's user + system CPU seconds (the load generator).

    ``process_time`` reads the same clock at nanosecond resolution.
    """
    return time.process_time()
