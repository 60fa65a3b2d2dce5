"""``adsdesk cashup [--day D] [--clerk C] [--close --counted X] [--json]``: a clerk's 日结."""

from __future__ import annotations

import argparse
import datetime as dt

from adsdesk.commands.common import open_db, print_json
from adsdesk.errors import EXIT_OK, UserError

NAME = "cashup"
HELP = "日结：当天订单与按付款方式的收款、清点现金与差额"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--day", metavar="YYYY-MM-DD", help="哪一天（默认今天）")
    parser.add_argument("--clerk", help="哪位受理员（默认本机/当前用户）")
    parser.add_argument("--close", action="store_true", help="关账：之后当天不能再收款")
    parser.add_argument("--counted", metavar="YUAN", help="清点的现金，如 1250.00")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印日结")


def run(args: argparse.Namespace) -> int:
    from adsdesk.domain.money import MoneyError, format_fen, parse_yuan
    from adsdesk.store.cashup import close_day, day_summary
    from adsdesk.store.orders import TillError

    try:
        day = dt.date.fromisoformat(args.day) if args.day else dt.date.today()
    except ValueError as exc:
        raise UserError(f"--day {args.day} 不是有效日期，应写成 YYYY-MM-DD。") from exc
    open_db(args, existing=True)
    try:
        if args.close:
            if args.counted is None:
                raise UserError("关账需要 --counted：清点的现金。")
            try:
                counted = parse_yuan(args.counted)
            except MoneyError as exc:
                raise UserError(f"--counted {exc}。") from exc
            s = close_day(day, counted, args.clerk)
        else:
            s = day_summary(day, args.clerk)
    except TillError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print_json(s.as_dict())
        return EXIT_OK
    print(f"{s.clerk} {s.day} 日结{'（已关账）' if s.closed else ''}")
    print(f"订单 {s.orders} 笔，应收 {format_fen(s.ordered_fen)} 元")
    for method, fen in s.by_method.items():
        if fen:
            print(f"  {method} {format_fen(fen)}")
    print(f"实收合计 {format_fen(s.takings_fen)} 元，其中退款 {format_fen(s.refunds_fen)} 元")
    print(f"应有现金 {format_fen(s.expected_cash_fen)} 元", end="")
    if s.difference_fen is not None:
        print(
            f"，清点 {format_fen(s.counted_cash_fen or 0)} 元，差额 {format_fen(s.difference_fen)} 元"
        )
    else:
        print()
    return EXIT_OK
