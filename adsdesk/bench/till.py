"""Till benchmarks: the live price per keystroke, and a month's report over the synthetic million."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

from adsdesk.assets import resource_path
from adsdesk.store.settings import DEFAULT_PROFILE

# A 300-character 房屋出售 ad in the sample column's words, phones included.
_AD = (
    "东信广场两室一厅，建筑面积91.60平米，南北通透，精装修，家具家电齐全，拎包入住。"
    "小区环境优美，交通便利，临近学校、医院、超市，生活配套完善。三楼，共六层，采光好。"
    "满五唯一，手续齐全，可按揭，价格面议，非诚勿扰。另有车库一间一并出售，"
    "有意者请于每日上午九点至下午六点来电洽谈，中介勿扰。联系电话：13903528495（微信同号），"
    "0352-5393120。看房请提前预约，周末亦可。"
)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
        "max_ms": round(ordered[-1], 3),
    }


def bench_price(chars: int = 300, seed: int = 7) -> dict[str, Any]:
    """Price an ad as it is typed, one keystroke at a time: the card's count and total plus the
    lines it takes in the column (layout engine). Wall and CPU (thread) time per keystroke;
    CPU time is what the desk's thread spends, wall time includes waiting for a shared CPU."""
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.domain.ratecard import parse_card
    from adsdesk.layout.geometry import ColumnSettings
    from adsdesk.layout.live_price import LivePricer

    ensure_gui_app()
    card = parse_card(resource_path("ratecards", "default.toml").read_text(encoding="utf-8"))
    text = (_AD * (chars // len(_AD) + 1))[:chars]
    dates = [dt.date(2024, 3, 1) + dt.timedelta(days=i) for i in range(5)]
    pricer = LivePricer([(1, card)], ColumnSettings(), DEFAULT_PROFILE.area_code)
    pricer.price("房屋出售", "东信广场两室出售", text, dates)  # fonts and phone tables loaded
    pricer = LivePricer([(1, card)], ColumnSettings(), DEFAULT_PROFILE.area_code)

    def run(edits: list[str]) -> tuple[list[float], list[float], Any]:
        wall: list[float] = []
        cpu: list[float] = []
        live = None
        for body in edits:
            w, c = time.perf_counter(), time.thread_time()
            live = pricer.price("房屋出售", "东信广场两室出售", body, dates, ["加急"])
            cpu.append((time.thread_time() - c) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
        return wall, cpu, live

    typed = [text[: i + 1] for i in range(len(text))]
    wall, cpu, live = run(typed)
    rng = random.Random(seed)
    body = text
    edited = []
    for _ in range(300):  # corrections anywhere in the ad: a character in, a character out
        at = rng.randrange(len(body) + 1)
        if rng.random() < 0.4 and len(body) > 10:
            body = body[:at] + body[at + 1 :]
        else:
            body = body[:at] + rng.choice("房屋出售价格面议，。精装") + body[at:]
        edited.append(body)
    wall_e, cpu_e, _ = run(edited)
    q = live.quote if live else None
    return {
        "chars": chars,
        "typing": {"wall": _percentiles(wall), "cpu": _percentiles(cpu)},
        "editing": {"wall": _percentiles(wall_e), "cpu": _percentiles(cpu_e)},
        "lines_card": q.lines if q else None,
        "lines_column": live.column_lines if live else None,
        "total_fen": q.total_fen if q else None,
    }


# --- the report over the synthetic million ---------------------------------------------
CLERKS = ("李娜", "王芳", "张伟", "刘洋", "陈静")
METHODS = ("现金", "微信", "支付宝", "现金", "银行转账", "微信", "挂账")


def add_synth_orders(path: Path) -> float:
    """Give every synthetic ad a priced, paid order (default card), once; seconds taken."""
    from adsdesk.domain.pricing import quote
    from adsdesk.domain.ratecard import parse_card

    marker = path.with_suffix(".orders.json")
    if marker.exists():
        return float(json.loads(marker.read_text(encoding="utf-8"))["orders_s"])
    started = time.perf_counter()
    card = parse_card(resource_path("ratecards", "default.toml").read_text(encoding="utf-8"))
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    con.execute("DELETE FROM ad_order")
    rows = con.execute(
        "SELECT ad.id, ad.advertiser_id, COALESCE(advertiser.name, ''), COALESCE(category.name, ''),"
        " ad.title, ad.body, i.first, i.n FROM ad"
        " JOIN (SELECT ad_id, MIN(date) AS first, COUNT(*) AS n FROM insertion GROUP BY ad_id) i"
        " ON i.ad_id = ad.id"
        " LEFT JOIN advertiser ON advertiser.id = ad.advertiser_id"
        " LEFT JOIN category ON category.id = ad.category_id"
    )
    numbers: dict[str, int] = {}
    batch: list[tuple[Any, ...]] = []
    insert = (
        "INSERT INTO ad_order (serial, day, number, ad_id, advertiser_id, customer, clerk,"
        " category, card_name, breakdown, runs, first_run, total_fen, paid_fen, method, status,"
        " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'open',?,?)"
    )
    for ad_id, adv, customer, category, title, body, first, runs in rows:
        day = str(first)[:10]
        numbers[day] = number = numbers.get(day, 0) + 1
        q = quote(card, category, title or "", body or "", runs=runs)
        method = METHODS[ad_id % len(METHODS)]
        stamp = f"{day} 09:00:00"
        batch.append(
            (
                f"{day.replace('-', '')}-{number:03d}",
                day,
                number,
                ad_id,
                adv,
                customer,
                CLERKS[ad_id % len(CLERKS)],
                category,
                card.name,
                "{}",
                runs,
                day,
                q.total_fen,
                q.total_fen,
                method,
                stamp,
                stamp,
            )
        )
        if len(batch) >= 20_000:
            con.executemany(insert, batch)
            batch.clear()
    if batch:
        con.executemany(insert, batch)
    con.execute("COMMIT")
    con.execute("ANALYZE ad_order")
    con.close()
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"orders_s": seconds}), encoding="utf-8")
    return seconds


def bench_report(n_ads: int, repeats: int = 3) -> dict[str, Any]:
    """A month's report by every grouping over the synthetic database with orders."""
    from adsdesk.bench.synth import ensure_synth_db
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.reports import GROUPS, report

    info = ensure_synth_db(n_ads)
    orders_s = add_synth_orders(info.path)
    init_db(info.path)
    try:
        from adsdesk.store.billing_models import Order

        total_orders = Order.select().count()
        month = (dt.date(2021, 3, 1), dt.date(2021, 3, 31))
        timings: dict[str, float] = {}
        month_orders = 0
        for by in GROUPS:
            best = []
            for _ in range(repeats):
                t = time.perf_counter()
                r = report(*month, by)
                best.append((time.perf_counter() - t) * 1000)
            timings[by] = round(min(best), 1)
            month_orders = r.orders
        t = time.perf_counter()
        year = report(dt.date(2021, 1, 1), dt.date(2021, 12, 31), "month")
        year_ms = (time.perf_counter() - t) * 1000
    finally:
        close_db()
    return {
        "orders": total_orders,
        "orders_build_s": round(orders_s, 1),
        "month": f"{month[0]:%Y-%m}",
        "month_orders": month_orders,
        "month_ms": timings,
        "month_max_ms": max(timings.values()),
        "year_by_month_ms": round(year_ms, 1),
        "year_orders": year.orders,
    }
