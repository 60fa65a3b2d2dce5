"""Durability figures: the cost of synchronous=FULL per save, and two desks saving at once.

Also the writer loops the kill tests run as child processes:
``python -m adsdesk.bench.durability save-loop DB COUNT TAG`` saves COUNT ads one at a time and
prints each id once its transaction has committed.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CONTENTION_SECONDS = 20.0


def _draft(tag: str, i: int) -> Any:
    import datetime as dt

    from adsdesk.store.ads import AdDraft, PhoneEntry

    phone = f"13835{i % 1000000:06d}"
    return AdDraft(
        category="其他",
        title=f"{tag} {i}",
        body=f"{tag} 第 {i} 则：出售旧家具，价格面议，电话见下。",
        phones=[PhoneEntry(f"+86{phone}", phone)],
        dates=[dt.date(2024, 3, 1) + dt.timedelta(days=i % 30)],
    )


def save_loop(db: str, count: int, tag: str, seconds: float = 0.0) -> int:
    """Save ads one at a time, printing ``id`` after each commit (``ERR sentence`` on a
    failure reaching the caller); runs for ``seconds`` when given, else ``count`` saves."""
    from adsdesk.store.ads import save_ad
    from adsdesk.store.database import init_db
    from adsdesk.store.settings import ensure_default_categories

    init_db(db)
    ensure_default_categories()
    deadline = time.monotonic() + seconds if seconds else None
    i = errors = 0
    while (deadline is None and i < count) or (
        deadline is not None and time.monotonic() < deadline
    ):
        try:
            ad_id = save_ad(_draft(tag, i))
        except Exception as exc:  # counted: the figure is how many reach the caller
            errors += 1
            print(f"ERR {exc}", flush=True)
        else:
            print(ad_id, flush=True)
        i += 1
    return errors


def save_to_pipe(db: str, tag: str, send: Any) -> None:
    """:func:`save_loop` for a child process: each committed id goes down ``send`` (a
    multiprocessing connection) the moment its transaction has committed."""
    from adsdesk.store.ads import save_ad
    from adsdesk.store.database import init_db

    init_db(db)
    i = 0
    while True:
        send.send(save_ad(_draft(tag, i)))
        i += 1


def import_file(db: str, table: str) -> None:
    """``adsdesk import TABLE --db DB`` in a child process (for the kill tests)."""
    from adsdesk.cli import main as cli_main

    cli_main(["import", table, "--db", db])


# Modules a fork server loads once, so that killed-and-restarted writers start in milliseconds.
PRELOAD = [
    "adsdesk.bench.durability",
    "adsdesk.store.ads",
    "adsdesk.store.database",
    "adsdesk.cli",
    "adsdesk.commands.importer",
    "adsdesk.io.import_tables",
    "adsdesk.io.tables",
    "phonenumbers.geocoder",
    "phonenumbers.carrier",
]


def _save_seconds(db: str, n: int, synchronous: str) -> list[float]:
    from adsdesk.store.ads import save_ad
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import db as proxy
    from adsdesk.store.settings import ensure_default_categories

    init_db(db)
    ensure_default_categories()
    proxy.execute_sql(f"PRAGMA synchronous={synchronous}")
    times = []
    for i in range(n):
        started = time.perf_counter()
        save_ad(_draft(synchronous, i))
        times.append(time.perf_counter() - started)
    close_db()
    return times


def bench_durability(saves: int = 300, seconds: float = CONTENTION_SECONDS) -> dict[str, Any]:
    """Per-save time with synchronous FULL and NORMAL, and two processes saving together."""
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="adsdesk-durability-") as folder:
        for mode in ("NORMAL", "FULL"):
            times = _save_seconds(str(Path(folder) / f"{mode}.sqlite3"), saves, mode)
            out[f"save_ms_{mode.lower()}"] = {
                "p50": round(statistics.median(times) * 1000, 2),
                "p95": round(sorted(times)[int(len(times) * 0.95)] * 1000, 2),
            }
        db = str(Path(folder) / "shared.sqlite3")
        _save_seconds(db, 1, "FULL")  # create it before the two start
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "adsdesk.bench.durability",
                    "for-seconds",
                    db,
                    str(seconds),
                    t,
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for t in ("甲", "乙")
        ]
        lines = [p.communicate()[0].splitlines() for p in procs]
    out["contention"] = {
        "processes": 2,
        "seconds": seconds,
        "saves": sum(sum(1 for x in ls if x.isdigit()) for ls in lines),
        "errors": sum(sum(1 for x in ls if x.startswith("ERR")) for ls in lines),
    }
    return out


def main(argv: list[str]) -> int:
    if argv[0] == "save-loop":
        return min(1, save_loop(argv[1], int(argv[2]), argv[3]))
    if argv[0] == "for-seconds":
        return min(1, save_loop(argv[1], 0, argv[3], seconds=float(argv[2])))
    raise SystemExit(f"unknown: {argv[0]}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
