"""``adsdesk bench``: the performance benchmark; figures as one JSON object."""

from __future__ import annotations

import argparse
import time
from typing import Any

from adsdesk.commands.common import print_json

NAME = "bench"
HELP = "性能基准：冷启动、检索、开窗、排版、导入、核对、耐久、计价、报表，结果为 JSON"
PARTS = ("cold", "search", "window", "layout", "import", "verify", "durability", "price", "report")
SERVER_PARTS = ("search",)  # what runs on the database given with --db (the synthetic corpus)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ads", type=int, default=1_000_000, help="合成广告条数（默认一百万）")
    parser.add_argument(
        "--only",
        help="只测其中几项，逗号分隔：" + "、".join(PARTS) + "（加 --db 时默认只测 search）",
    )
    parser.add_argument("--json", action="store_true", help="（总是输出 JSON）")
    parser.add_argument(
        "--clerks", type=int, help="N 个进程同时作为受理员（订新广告、改同一批广告、搜索、排版）"
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="--clerks 的时长（秒）")


def run(args: argparse.Namespace) -> int:
    from adsdesk.errors import UserError

    if args.clerks is not None:
        if not 1 <= args.clerks <= 64 or args.seconds <= 0:
            raise UserError("--clerks 应为 1 到 64，--seconds 应大于 0。")
        from adsdesk.bench.clerks import bench_clerks
        from adsdesk.bench.machine import watch

        machine = watch()  # (before the clerks: the load average is the machine's own)
        figures = bench_clerks(args.clerks, args.seconds, getattr(args, "db", None))
        print_json({**figures, "machine": machine()})
        return 0
    server = getattr(args, "db", None)
    only = args.only if args.only is not None else ",".join(SERVER_PARTS if server else PARTS)
    parts = [p.strip() for p in only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise UserError(f"没有这一项基准：{'、'.join(unknown)}；可选 {'、'.join(PARTS)}。")
    if server:
        elsewhere = [p for p in parts if p not in SERVER_PARTS]
        if elsewhere:
            raise UserError(
                f"加 --db 时只测 {'、'.join(SERVER_PARTS)}；"
                f"{'、'.join(elsewhere)} 用自己的临时 SQLite 文件，请不加 --db 测。"
            )
    if args.ads < 100:
        raise UserError("--ads 至少为 100。")
    from adsdesk.bench.machine import watch

    machine = watch()  # what the figures below depend on most (see the module)
    started = time.perf_counter()
    result: dict[str, Any] = {"ads": args.ads}
    if "cold" in parts:  # first: before this process has warmed the disk cache for the others
        from adsdesk.bench.cold import bench_cold_start

        result.update(bench_cold_start())
    if "search" in parts:
        from adsdesk.bench.search import bench_search

        result.update(bench_search(args.ads, db=server))
    if "window" in parts:
        from adsdesk.bench.synth import ensure_synth_db
        from adsdesk.bench.window import measure_in_subprocess

        info = ensure_synth_db(args.ads)
        result.setdefault("build_s", info.build_s)
        window = measure_in_subprocess(info.path)
        result["open_ms"] = window["open_ms"]
        result["window"] = window
        result["rss_mb"] = window["rss_mb"]
    if "layout" in parts:
        from adsdesk.bench.layout import bench_layout

        result["layout"] = bench_layout(300)
    if "durability" in parts:
        from adsdesk.bench.durability import bench_durability

        result["durability"] = bench_durability()
    if "import" in parts:
        from adsdesk.bench.importer import bench_import

        result["import"] = bench_import(100_000)
    if "verify" in parts:
        from adsdesk.bench.verify import bench_verify

        result["verify"] = bench_verify(300)
    if "price" in parts:
        from adsdesk.bench.till import bench_price

        result["price"] = bench_price(300)
    if "report" in parts:
        from adsdesk.bench.till import bench_report

        result["report"] = bench_report(args.ads)
    result["total_s"] = round(time.perf_counter() - started, 1)
    result["machine"] = machine()
    print_json(result)
    return 0
