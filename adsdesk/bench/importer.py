"""Import benchmark: write a large CSV of realistic ads, import it with checks, rows per second."""

from __future__ import annotations

import csv
import datetime as dt
import multiprocessing
import os
import random
import tempfile
import time
from pathlib import Path

from adsdesk.store.settings import DEFAULT_PROFILE

TARGET_ROWS_PER_SECOND = 20_000

_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("房屋出售", "出售", "{place}{n}号楼{area}平米，{floor}层，简装，价格面议。联系电话:{phone}"),
    (
        "房屋出售",
        "特价售房",
        "现有{place}{n}号楼{area}平米新房急售，大红本，价格面议。电话:{phone}",
    ),
    ("房屋出租", "出租", "{place}楼房一套，{area}平米，家具齐全，拎包入住，月租{rent}元。{phone}"),
    ("招聘", "诚聘", "{brand}公司招聘司机{k}名，待遇面议，有意者电话联系:{phone}"),
    ("养老服务", "{brand}养老中心", "托养失能半失能老人，医养结合，环境优雅。{phone}"),
    ("家居服务", "{brand}纱窗", "厂家直供 品质保证\n上门安装 终身维护\n联系电话:{phone}"),
    ("家居服务", "开锁换锁", "公安备案，二十四小时上门服务，{place}附近十分钟到。电话:{phone}"),
    ("教育培训", "{brand}职业培训学校", "成人学历常年招生，专业齐全！\n联系电话:{phone} 微信同号"),
    ("食品", "石磨豆腐", "不加卤水 不加石膏\n许可证: SXZF 12514021{k:05d}(p) 电话: {phone}"),
    ("遗失声明", "遗失声明", "{brand}商店遗失营业执照副本，声明作废。"),
)
_PLACES = (
    "奕城名都",
    "花城尚府",
    "复地紫城",
    "幸福家园",
    "绿洲西城",
    "魏都新城",
    "御河湾",
    "南关小区",
)
_BRANDS = ("鑫源", "荣鑫", "和平", "馨万家", "宏达", "恒泰", "兴业", "华瑞", "同心", "福康")


_AREA = DEFAULT_PROFILE.area_code  # the rows are the sample paper's


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return f"{_AREA}-{rng.randint(2, 8)}{rng.randint(0, 999999):06d}"
    prefix = rng.choice(("139", "138", "135", "150", "152", "158", "186", "188", "189", "177"))
    return f"{prefix}{rng.randint(0, 99_999_999):08d}"


def write_csv(path: Path, rows: int, seed: int = 20230224) -> None:
    """A CSV like a desk's years of ads: one advertiser places about five ads."""
    rng = random.Random(seed)
    advertisers = [(f"{rng.choice(_BRANDS)}{i}", _phone(rng)) for i in range(max(1, rows // 5))]
    start = dt.date(2016, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["标题", "正文", "电话", "分类", "客户", "刊登日期"])
        for i in range(rows):
            name, phone = rng.choice(advertisers)
            category, title, body = rng.choice(_TEMPLATES)
            values = {
                "place": rng.choice(_PLACES),
                "brand": rng.choice(_BRANDS),
                "n": rng.randint(1, 30),
                "area": rng.randint(40, 160),
                "floor": rng.randint(1, 30),
                "rent": rng.randint(5, 30) * 100,
                "k": i % 100_000,
                "phone": phone,
            }
            first = start + dt.timedelta(days=rng.randint(0, 3600))
            dates = ", ".join(
                (first + dt.timedelta(days=d)).isoformat() for d in range(rng.randint(1, 3))
            )
            has_phone = "{phone}" in body
            writer.writerow(
                [
                    title.format(**values),
                    body.format(**values),
                    phone if has_phone else "",
                    category,
                    name,
                    dates,
                ]
            )


def bench_import(rows: int = 100_000) -> dict[str, object]:
    """Import a ``rows``-row CSV into a fresh temporary database, with every check, as
    ``adsdesk import`` does: rows checked in worker processes while this one saves."""
    from adsdesk.bench.import_floor import bench_import_floor
    from adsdesk.io.import_tables import import_table, import_workers
    from adsdesk.io.tables import read_table
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import Ad, db

    previous = db.obj
    workers = import_workers(rows)  # besides this process, which saves
    with tempfile.TemporaryDirectory(prefix="adsdesk-bench-import-") as folder:
        csv_path = Path(folder) / "ads.csv"
        write_csv(csv_path, rows)
        try:
            init_db(Path(folder) / "bench.sqlite3")
            cpu0, t0 = _cpu_seconds(), time.perf_counter()
            table = read_table(csv_path)
            t1 = time.perf_counter()
            done = import_table(table, area_code=_AREA)
            t2 = time.perf_counter()
            # The import does not wait for its check workers to exit: wait here, so their
            # CPU (their exit's too) is counted.
            for child in multiprocessing.active_children():
                child.join()
            cpu = _cpu_seconds() - cpu0
            stored = Ad.select().count()
            # What SQLite alone and the checks alone take of it: the least time they leave.
            floor = bench_import_floor(csv_path, rows, _AREA, os.cpu_count() or 1)
        finally:
            close_db()
            if previous is not None:
                db.initialize(previous)
    total = t2 - t0
    rate = rows / total if total else 0.0
    return {
        "rows": rows,
        "rejected": len(done.plan.rejected),
        "saved": len(done.ids),
        "stored": stored,
        "check_workers": workers,
        "read_s": round(t1 - t0, 3),
        "check_and_save_s": round(t2 - t1, 3),  # checks pipelined with the saving, one transaction
        "total_s": round(total, 3),
        "cpu_s": round(cpu, 3),  # this process and its workers, user + system
        "rows_per_s": round(rate),
        "rows_per_cpu_s": round(rows / cpu) if cpu else 0,
        "load_avg": _load_average(),
        "target_rows_per_s": TARGET_ROWS_PER_SECOND,
        "meets_target": rate >= TARGET_ROWS_PER_SECOND,
        "floor": floor,
    }


def _cpu_seconds() -> float:
    """CPU time of this process and its finished workers (user + system)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _load_average() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # Windows
        return []
