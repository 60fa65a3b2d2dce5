"""``adsdesk report --from D --to D [--by …] [--json | --xlsx OUT | --pdf OUT]``: takings."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from adsdesk.commands.common import open_db, print_json
from adsdesk.errors import EXIT_OK, UserError

NAME = "report"
HELP = "收入报表：按日、月、分类、受理员、付款方式、客户"


def configure(parser: argparse.ArgumentParser) -> None:
    from adsdesk.store.reports import GROUPS

    parser.add_argument(
        "--from", dest="start", required=True, metavar="YYYY-MM-DD", help="从这一天起"
    )
    parser.add_argument(
        "--to", dest="end", required=True, metavar="YYYY-MM-DD", help="到这一天止（含）"
    )
    parser.add_argument(
        "--by",
        default="day",
        choices=GROUPS,
        help="按什么汇总：day 日、month 月、category 分类、clerk 受理员、method 付款方式、"
        "advertiser 客户（默认 day）",
    )
    parser.add_argument("--top", type=int, default=20, help="按客户时列出前几位（其余合为一行）")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="以 JSON 打印报表")
    out.add_argument("--xlsx", metavar="OUT.xlsx", help="报表写成 Excel 文件")
    out.add_argument("--pdf", metavar="OUT.pdf", help="报表写成 PDF 文件")


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise UserError(f"{option} {text} 不是有效日期，应写成 YYYY-MM-DD。") from exc


def run(args: argparse.Namespace) -> int:
    from adsdesk.io.report_files import report_rows, report_title
    from adsdesk.store.reports import report

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if end < start:
        raise UserError("--to 早于 --from。")
    if args.top < 1:
        raise UserError("--top 至少为 1。")
    open_db(args, existing=True)
    r = report(start, end, args.by, top=args.top)
    if args.json:
        print_json(r.as_dict())
    elif args.xlsx:
        from adsdesk.io.report_files import write_report_xlsx

        write_report_xlsx(r, Path(args.xlsx))
        print(f"报表已写入 {args.xlsx}（{len(r.rows)} 行）")
    elif args.pdf:
        from adsdesk.commands.export import ensure_gui_app
        from adsdesk.io.atomic import write_atomic
        from adsdesk.io.report_files import HEADERS
        from adsdesk.layout.receipt import write_report_pdf

        ensure_gui_app()
        bars = [(x.key, x.total_fen) for x in r.rows]
        write_atomic(
            Path(args.pdf),
            lambda tmp: write_report_pdf(report_title(r), HEADERS, report_rows(r), bars, tmp),
        )
        print(f"报表已写入 {args.pdf}")
    else:
        print(report_title(r))
        for row in report_rows(r):
            print("\t".join(row))
    return EXIT_OK
