"""``adsdesk verify``: read the press PDF back and check it against the issue's bookings."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from adsdesk.commands.common import date_option, open_db, print_json
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK, UserError

if TYPE_CHECKING:
    from adsdesk.verify.reconcile import Report

NAME = "verify"
HELP = "核对付印 PDF 与当期预订：漏登、错登（电话错一位、文字被删改）、重复、多登"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="刊期")
    parser.add_argument("--pdf", metavar="PAGE.pdf", help="付印的版面 PDF（一页或多页）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印核对结果")


def parse_date(text: str | None) -> dt.date:
    date = date_option(text, "--date")
    if date is None:
        raise UserError("请用 --date 指定刊期，例如 --date 2023-02-24。")
    return date


def run(args: argparse.Namespace) -> int:
    date = parse_date(args.date)
    if not args.pdf:
        raise UserError("请用 --pdf 指定要核对的付印 PDF。")
    open_db(args, existing=True)
    from adsdesk.press_check import check_press
    from adsdesk.verify.pdftext import PdfTextError

    path = Path(args.pdf)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PdfTextError(f"找不到文件 {path}。") from None
    except OSError as exc:
        raise PdfTextError(f"无法读取 {path}：{exc.strerror}。") from None
    # kept with the issue: tearsheets and the desk's 核对 view cut from this file later
    report = check_press(date, data, path.name).report
    if args.json:
        print_json(report.as_dict())
    else:
        _print_report(report)
    return EXIT_OK if report.clean else EXIT_BLOCKED


def _print_report(report: Report) -> None:
    titles = {b.id: (b.title or b.body[:12]).replace("\n", " ") for b in report.bookings}
    print(
        f"{report.date.isoformat()}：预订 {len(report.bookings)} 则，PDF {report.pages} 页；"
        f"见报 {len(report.found)} 则，漏登 {len(report.missing)}，有误 "
        f"{len({a.id for a in report.altered})}，重复 {len(report.duplicated)}，"
        f"多出 {len(report.extra)}"
    )
    for f in report.found:
        b = f.box
        note = "（标题不是文字，未核对）" if f.title_not_text else ""
        print(f"  ✓ #{f.id} {titles[f.id]}：第 {b.page} 页，左 {b.x} 毫米，上 {b.y} 毫米{note}")
    for ad_id in report.missing:
        print(f"  ✗ 漏登 #{ad_id} {titles[ad_id]}")
    for a in report.altered:
        what = "电话" if a.field == "phone" else "文字"
        print(f"  ✗ {what}有误 #{a.id} {titles[a.id]}：{a.marked()}")
    for ad_id in report.duplicated:
        print(f"  ✗ 重复刊登 #{ad_id} {titles[ad_id]}")
    for e in report.extra:
        print(f"  ? 多出（无预订）第 {e.page} 页：{e.text}")
