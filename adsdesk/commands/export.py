"""``adsdesk export``: lay out one issue's column to PDF/PNG, or write ads out as a table."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from adsdesk.commands.common import date_option, open_db, print_json
from adsdesk.errors import EXIT_OK, UserError

NAME = "export"
HELP = "排出某期便民信息版面，写出 PDF/PNG；或用 --ads 导出广告表格"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="刊期")
    parser.add_argument("--pdf", metavar="OUT.pdf", help="写出可直接付印的 PDF")
    parser.add_argument("--png", metavar="OUT.png", help="另写一张 PNG 图片")
    parser.add_argument("--dpi", type=int, default=300, help="PNG 的分辨率（默认 300）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印排版结果")
    parser.add_argument("--ads", metavar="OUT.xlsx|OUT.csv", help="导出广告、客户与刊登日期表格")
    parser.add_argument("--from", dest="date_from", metavar="D", help="与 --ads 连用：起始日期")
    parser.add_argument("--to", dest="date_to", metavar="D", help="与 --ads 连用：截止日期")


def _issue_date(text: str | None) -> dt.date:
    date = date_option(text, "--date")
    if date is None:
        raise UserError("请用 --date 指定刊期，例如 --date 2023-02-24。")
    return date


def ensure_gui_app() -> None:
    """Fonts are read through Qt: make the application, offscreen when there is no display.

    A QApplication (a QGuiApplication that can also host widgets), so that a process that
    exports first and opens a window later (a test run, a script) does not need a second one.
    """
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if sys.platform.startswith("linux") and no_display and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    QApplication(sys.argv[:1])


def run(args: argparse.Namespace) -> int:
    if args.ads:
        return export_ads(args)
    date = _issue_date(args.date)
    if not args.pdf and not args.png:
        raise UserError("请用 --pdf 指定要写出的 PDF 文件（可另加 --png 写出图片）。")
    if not 30 <= args.dpi <= 2400:
        raise UserError("--dpi 应在 30 到 2400 之间。")
    open_db(args, existing=True)
    from adsdesk.issue import load_issue

    issue = load_issue(date)
    if not issue.ads:
        raise UserError(f"{date.isoformat()} 这一期没有刊登任何广告，无可排版。")
    problems = issue.settings.problems()
    if problems:
        raise UserError(problems[0])
    ensure_gui_app()
    from adsdesk.layout.engine import lay_out
    from adsdesk.layout.render import write_pdf, write_png

    layout = lay_out(issue)
    if args.pdf:
        write_pdf(layout, Path(args.pdf))
    if args.png:
        write_png(layout, Path(args.png), dpi=args.dpi)
    if args.json:
        print_json(layout.summary())
    else:
        written = "、".join(str(p) for p in (args.pdf, args.png) if p)
        line = f"{date.isoformat()}：排入 {len(layout.placed)} 则，版面占用 {layout.fill:.0%}，已写出 {written}"
        if layout.left_over:
            line += "；" + _left_over_line([x.ad_id for x in layout.left_over])
        print(line)
    return EXIT_OK


_LEFT_OVER_SHOWN = 10  # a full day leaves hundreds: the first few, and where the rest are


def _left_over_line(ids: list[int]) -> str:
    """The ads left off the page, in the desk's order: all of a few, else the first ten."""
    shown = "、".join(f"#{x}" for x in ids[:_LEFT_OVER_SHOWN])
    if len(ids) <= _LEFT_OVER_SHOWN:
        return f"排不下 {len(ids)} 则：{shown}"
    return f"排不下 {len(ids)} 则：{shown} 等（全部见 --json 的 left_over）"


def export_ads(args: argparse.Namespace) -> int:
    """``--ads OUT.xlsx|OUT.csv [--from D --to D]``: ads, advertisers, dates as tables."""
    from adsdesk.io.export_tables import export_tables

    out = Path(str(args.ads)).expanduser()
    date_from = date_option(args.date_from, "--from")
    date_to = date_option(args.date_to, "--to")
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(f"不支持导出为 {out.suffix or '无扩展名的文件'}：请用 .xlsx 或 .csv。")
    open_db(args, existing=True)
    result = export_tables(out, date_from, date_to)
    files = "、".join(str(f) for f in result.files)
    print(
        f"已导出 {result.ads} 则广告、{result.advertisers} 位客户、{result.insertions} 条刊登记录到 {files}"
    )
    return EXIT_OK
