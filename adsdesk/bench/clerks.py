"""``adsdesk bench --clerks N``: N processes act as clerks on one database at once.

Each clerk books new ads (paid at the counter), edits ads the others edit too (read, change,
save — as the editor does, with the row version it loaded), searches, and lays out the day.
A save is the desk's own 保存 (``store.desk_save.desk_save``: the approval check, the ad, its
order priced on the shipped rate card, the payment), timed from the click to the answer:
``save_ms`` covers every save the clerk waited for, the refused ones included. A stale save
the desk refused is a conflict: the clerk reloads and saves again, a second timed save.

An edit appends the clerk's own mark to the ad's body, so at the end every edit reported saved
must still be there, and every booking reported saved must have its ad, its order and its
payment: anything missing is a lost update.

``cpu`` says whether the machine, rather than the desk, was the limit: the clerks' own CPU
seconds, the database server's for their connections (PostgreSQL on this machine), how busy
all cores were over the run, and the load average before and after (the benchmark machines
are shared).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from adsdesk.store.rows import tuples

DAY = dt.date(2023, 2, 24)
SHARED = 20  # ads every clerk edits
PAID_FEN = 5000  # what a clerk takes at the counter for a new booking


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _prepare(target: str) -> list[int]:
    from adsdesk.assets import resource_path
    from adsdesk.store.ads import AdDraft
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.desk_save import SaveOutcome, desk_save
    from adsdesk.store.ratecards import list_cards, save_card
    from adsdesk.store.settings import ensure_default_categories

    init_db(target)
    ensure_default_categories()
    if not list_cards():
        save_card(resource_path("ratecards", "default.toml").read_text(encoding="utf-8"))
    ids = []
    for i in range(SHARED):
        draft = AdDraft(category="家居服务", title=f"共享广告{i}", body="初稿", dates=[DAY])
        outcome = desk_save(draft)
        assert isinstance(outcome, SaveOutcome) and not outcome.problem, outcome
        ids.append(outcome.ad_id)
    close_db()
    return ids


def _cpu_ticks(pid: int) -> float | None:
    """CPU seconds (user + system) of a process on this machine, from /proc; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _backend_pid() -> int:
    from adsdesk.store.models import db

    return int(db.execute_sql("SELECT pg_backend_pid()").fetchone()[0])


def _server_pids() -> list[int]:
    """The server processes working for this clerk: its connection's and its searches' second
    one's (``side_reads``)."""
    from adsdesk.store import side_reads
    from adsdesk.store.backend import is_postgres
    from adsdesk.store.models import db

    if not is_postgres(db.obj):
        return []
    return [_backend_pid(), side_reads.submit(_backend_pid).result()]


def _server_ticks(pids: list[int]) -> float | None:
    ticks = [_cpu_ticks(pid) for pid in pids]
    return None if not ticks or None in ticks else sum(t for t in ticks if t is not None)


def _clerk(args: tuple[str, int, float, list[int], int]) -> dict[str, Any]:
    target, number, seconds, shared, seed = args
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.store import retry
    from adsdesk.store.ads import AdDraft, Approvals, StaleAd, load_ad
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.desk_save import desk_save
    from adsdesk.store.orders import CASH
    from adsdesk.store.search import search, warm_up_server

    ensure_gui_app()  # laying out measures text with the shipped fonts through Qt
    rng = random.Random(seed)
    init_db(target)
    from adsdesk.store.search_text import warm_up

    warm_up()  # pinyin tables and the first connection, before the clock starts
    warm_up_server()  # as a desk does once its rows are shown (its two connections)
    search("共享", limit=1)
    server = _server_pids()
    server_cpu = _server_ticks(server)
    saved_marks: list[tuple[int, str]] = []
    booked: list[str] = []
    save_ms: list[float] = []
    search_ms: list[float] = []
    conflicts = errors = saves = 0
    error_text: list[str] = []

    def save(draft: AdDraft, payment: tuple[str, int] | None = None) -> bool:
        """One click on 保存: True when saved, False when refused as stale."""
        nonlocal saves, conflicts
        started = time.perf_counter()
        try:
            outcome = retry.run(partial(desk_save, draft, payment=payment))
        except StaleAd:
            save_ms.append((time.perf_counter() - started) * 1000)
            conflicts += 1  # the clerk is told, reloads, and saves again
            return False
        save_ms.append((time.perf_counter() - started) * 1000)
        if isinstance(outcome, Approvals):
            raise RuntimeError(f"the bench's ad needs a supervisor: {outcome.describe()}")
        if outcome.problem:
            raise RuntimeError(f"saved without its order: {outcome.problem}")
        saves += 1
        return True

    cpu_started = time.process_time()
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1
        action = rng.random()
        try:
            if action < 0.45:  # edit an ad the others edit too
                ad_id = rng.choice(shared)
                mark = f"[{number}-{n}]"
                while True:
                    draft = retry.run(partial(load_ad, ad_id))
                    draft.body = f"{draft.body}{mark}"
                    if save(draft):
                        saved_marks.append((ad_id, mark))
                        break
            elif action < 0.7:  # book a new ad, paid at the counter
                title = f"新广告{number}-{n}"
                draft = AdDraft(
                    category="房屋出租", title=title, body="出租一套 电话 13903528491", dates=[DAY]
                )
                if save(draft, (CASH, PAID_FEN)):
                    booked.append(title)
            elif action < 0.93:
                query = rng.choice(["共享", "出租", "电话", "13903528491", "8491", "新广告"])
                started = time.perf_counter()
                retry.run(partial(search, query, limit=50))
                search_ms.append((time.perf_counter() - started) * 1000)
            else:  # lay out the day
                from adsdesk.issue import load_issue
                from adsdesk.layout.engine import lay_out

                issue = retry.run(lambda: load_issue(DAY))
                lay_out(issue)
        except Exception as exc:  # counted and reported: the target is none
            errors += 1
            if len(error_text) < 3:
                error_text.append(f"{type(exc).__name__}: {exc}")
    cpu_s = time.process_time() - cpu_started
    server_after = _server_ticks(server)
    close_db()
    return {
        "marks": saved_marks,
        "booked": booked,
        "save_ms": save_ms,
        "search_ms": search_ms,
        "conflicts": conflicts,
        "errors": errors,
        "saves": saves,
        "error_text": error_text,
        "cpu_s": cpu_s,
        "server_cpu_s": (
            server_after - server_cpu
            if server_after is not None and server_cpu is not None
            else None
        ),
    }


def _lost(target: str, results: list[dict[str, Any]]) -> int:
    from adsdesk.store.billing_models import Order
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import Ad

    init_db(target)
    bodies: dict[int, str] = dict(tuples(Ad.select(Ad.id, Ad.body)))
    paid: dict[str, int] = {
        title: int(fen)
        for title, fen in tuples(
            Ad.select(Ad.title, Order.paid_fen).join(Order, on=(Order.ad == Ad.id))
        )
    }
    close_db()
    lost = 0
    for r in results:
        lost += len([m for ad_id, m in r["marks"] if m not in bodies.get(ad_id, "")])
        lost += len([t for t in r["booked"] if paid.get(t) != PAID_FEN])  # ad, order, payment
    return lost


def _machine_ticks() -> tuple[int, int] | None:
    """(busy, total) CPU ticks of all cores since boot, from /proc/stat; None elsewhere."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    ticks = [int(v) for v in first[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def _load() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def bench_clerks(clerks: int, seconds: float, target: str | None = None) -> dict[str, Any]:
    """Run ``clerks`` processes for ``seconds`` on ``target`` (default: a new SQLite file)."""
    with tempfile.TemporaryDirectory(prefix="adsdesk-clerks-") as folder:
        db = target or str(Path(folder) / "clerks.sqlite3")
        shared = _prepare(db)
        jobs = [(db, i, seconds, shared, 1000 + i) for i in range(clerks)]
        load_before, ticks_before = _load(), _machine_ticks()
        with multiprocessing.get_context("spawn").Pool(clerks) as pool:
            results = pool.map(_clerk, jobs)
        load_after, ticks_after = _load(), _machine_ticks()
        save_ms = [m for r in results for m in r["save_ms"]]
        search_ms = [m for r in results for m in r["search_ms"]]
        out: dict[str, Any] = {
            "clerks": clerks,
            "seconds": seconds,
            "database": "postgresql" if target and "://" in target else "sqlite",
            "saves": sum(r["saves"] for r in results),
            "conflicts": sum(r["conflicts"] for r in results),
            "lost_updates": _lost(db, results),
            "errors": sum(r["errors"] for r in results),
            "save_ms": {"p50": _percentile(save_ms, 0.5), "p95": _percentile(save_ms, 0.95)},
            "search_ms": {"p50": _percentile(search_ms, 0.5), "p95": _percentile(search_ms, 0.95)},
        }
        samples = [t for r in results for t in r["error_text"]][:3]
        if samples:
            out["error_samples"] = samples
        if save_ms:
            out["save_ms"]["mean"] = round(statistics.fmean(save_ms), 1)
            out["save_ms"]["max"] = round(max(save_ms), 1)
        server = [r["server_cpu_s"] for r in results if r["server_cpu_s"] is not None]
        cpu: dict[str, Any] = {
            "cores": os.cpu_count(),
            "clerks_s": round(sum(r["cpu_s"] for r in results), 1),
            "server_s": round(sum(server), 1) if server else None,
            "load_before": load_before,
            "load_after": load_after,
        }
        if ticks_before and ticks_after:
            busy = ticks_after[0] - ticks_before[0]
            total = ticks_after[1] - ticks_before[1]
            cpu["machine_busy_pct"] = round(100 * busy / total, 1) if total else None
        out["cpu"] = cpu
        return out
