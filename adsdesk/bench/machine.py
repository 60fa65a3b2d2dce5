"""The machine a benchmark ran on: its CPUs and memory, and a fixed piece of work timed.

The same code has measured twice as slow from one session's machine to the next (a 10-million
step loop in 0.45 s on one, 0.95–1.35 s on another). The reference figures let a reader set
runs from different machines side by side: divide by them, not by the calendar."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

_RUNS = 5


def machine_facts() -> dict[str, object]:
    """CPUs, memory, Python and the reference timings (best and median of five runs)."""
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_avg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python_ms": _timed(_python_work),
        "sqlite_ms": _timed(_sqlite_work),
    }


def watch() -> Callable[[], dict[str, object]]:
    """The machine's facts now, and a function that gives them at the end of the run with
    ``stolen_pct`` added (how much of the run's CPU time the host took for others)."""
    facts = machine_facts()
    ticks = cpu_snapshot()
    return lambda: {**facts, "stolen_pct": stolen_pct(ticks)}


def cpu_snapshot() -> tuple[int, int] | None:
    """(CPU time stolen by the hypervisor, CPU time used or stolen) of the whole machine so far,
    in clock ticks; None where the system does not say (only Linux's /proc/stat does)."""
    try:
        with open("/proc/stat", encoding="ascii") as fh:
            ticks = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    if len(ticks) < 8:
        return None
    idle, iowait, steal = ticks[3], ticks[4], ticks[7]
    return steal, sum(ticks[:8]) - idle - iowait


def stolen_pct(before: tuple[int, int] | None) -> float | None:
    """The share of the machine's busy CPU time since ``before`` that the hypervisor took
    for other machines: on a shared host the figures above are slower by about this much,
    and noisier (seen up to 14 % in one search run here)."""
    after = cpu_snapshot()
    if before is None or after is None or after[1] <= before[1]:
        return None
    return round(100 * (after[0] - before[0]) / (after[1] - before[1]), 1)


def _timed(work: Callable[[], object]) -> dict[str, float]:
    times = []
    for _ in range(_RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return {"best": round(min(times), 1), "median": round(statistics.median(times), 1)}


def _python_work() -> int:
    """Interpreter work like the checks': a loop, a dictionary, string slicing."""
    seen: dict[str, int] = {}
    total = 0
    text = "出租奕城名都12号楼90平米联系电话13903528496" * 4
    for i in range(200_000):
        piece = text[i % 40 : i % 40 + 6]
        seen[piece] = seen.get(piece, 0) + i
        total += len(piece)
    return total + len(seen)


def _sqlite_work() -> int:
    """Inserts into an indexed table and a sum, in memory, like a save's."""
    con = sqlite3.connect(":memory:")
    try:
        con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k INTEGER, v TEXT)")
        con.execute("CREATE INDEX t_k ON t (k)")
        con.executemany(
            "INSERT INTO t (k, v) VALUES (?, ?)",
            ((i * 7919 % 50_000, "广告") for i in range(50_000)),
        )
        return int(con.execute("SELECT sum(k) FROM t WHERE k < 25000").fetchone()[0])
    finally:
        con.close()


def _cpu_model() -> str:
    info = Path("/proc/cpuinfo")
    try:
        for line in info.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # Windows
        return None
    return round(pages * size / 2**30, 1)
