"""``adsdesk bench --clerks N``: N processes act as clerks on one database at once.

Each clerk books new ads, edits ads the others edit too (read, change, save — as the editor
does, with the row version it loaded), searches, and lays out the day. An edit appends the
clerk's own mark to the ad's body, so at the end every edit reported saved must still be there:
a mark that is missing is a lost update. A stale save the desk refused is a conflict (the clerk
reloads and tries again, as the conflict dialog lets them).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
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


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _prepare(target: str) -> list[int]:
    from adsdesk.store.ads import AdDraft, save_ad
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.settings import ensure_default_categories

    init_db(target)
    ensure_default_categories()
    ids = [
        save_ad(AdDraft(category="家居服务", title=f"共享广告{i}", body="初稿", dates=[DAY]))
        for i in range(SHARED)
    ]
    close_db()
    return ids


def _clerk(args: tuple[str, int, float, list[int], int]) -> dict[str, Any]:
    target, number, seconds, shared, seed = args
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.store import retry
    from adsdesk.store.ads import AdDraft, StaleAd, load_ad, save_ad
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.search import search

    ensure_gui_app()  # laying out measures text with the shipped fonts through Qt
    rng = random.Random(seed)
    init_db(target)
    from adsdesk.store.search_text import warm_up

    warm_up()  # pinyin tables and the first connection, before the clock starts
    search("共享", limit=1)
    saved_marks: list[tuple[int, str]] = []
    booked: list[str] = []
    save_ms: list[float] = []
    search_ms: list[float] = []
    conflicts = errors = saves = 0
    error_text: list[str] = []
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
                    started = time.perf_counter()
                    try:
                        retry.run(partial(save_ad, draft))
                    except StaleAd:
                        conflicts += 1  # the clerk is told, reloads, and saves again
                        continue
                    save_ms.append((time.perf_counter() - started) * 1000)
                    saves += 1
                    saved_marks.append((ad_id, mark))
                    break
            elif action < 0.7:  # book a new ad
                title = f"新广告{number}-{n}"
                draft = AdDraft(
                    category="房屋出租", title=title, body="出租一套 电话 13903528491", dates=[DAY]
                )
                started = time.perf_counter()
                retry.run(partial(save_ad, draft))
                save_ms.append((time.perf_counter() - started) * 1000)
                saves += 1
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
    }


def _lost(target: str, results: list[dict[str, Any]]) -> int:
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import Ad

    init_db(target)
    bodies: dict[int, str] = dict(tuples(Ad.select(Ad.id, Ad.body)))
    titles = {t for (t,) in tuples(Ad.select(Ad.title))}
    close_db()
    lost = 0
    for r in results:
        lost += len([m for ad_id, m in r["marks"] if m not in bodies.get(ad_id, "")])
        lost += len([t for t in r["booked"] if t not in titles])
    return lost


def bench_clerks(clerks: int, seconds: float, target: str | None = None) -> dict[str, Any]:
    """Run ``clerks`` processes for ``seconds`` on ``target`` (default: a new SQLite file)."""
    with tempfile.TemporaryDirectory(prefix="adsdesk-clerks-") as folder:
        db = target or str(Path(folder) / "clerks.sqlite3")
        shared = _prepare(db)
        jobs = [(db, i, seconds, shared, 1000 + i) for i in range(clerks)]
        with multiprocessing.get_context("spawn").Pool(clerks) as pool:
            results = pool.map(_clerk, jobs)
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
        return out
