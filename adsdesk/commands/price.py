"""``adsdesk price``: what an ad costs under a rate card (a file, or the database's card)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from adsdesk.commands.common import (
    add_input_argument,
    date_option,
    open_db,
    print_json,
    read_input,
)
from adsdesk.errors import EXIT_OK, UserError

NAME = "price"
HELP = "计算一则广告的价格（按价目表）"


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_argument(parser)
    parser.add_argument("--card", metavar="CARD.toml", help="价目表文件（默认用数据库里的）")
    parser.add_argument("--category", default="", help="广告分类，如 遗失声明")
    parser.add_argument("--runs", type=int, default=1, help="刊登期数（默认 1）")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="首次刊登日期，选价目表用（默认今天）")
    parser.add_argument(
        "--surcharge", action="append", default=[], metavar="NAME", help="加价项，如 加急"
    )
    parser.add_argument(
        "--item", action="append", default=[], metavar="NAME=COUNT", help="更正件数，如 身份证=2"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 打印价格明细")


def read_card_file(name: str) -> str:
    path = Path(name)
    if not path.is_file():
        raise UserError(f"找不到价目表文件 {name}。")
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"无法读取价目表文件 {name}：应为 UTF-8 编码的 TOML 文本。") from exc


def _items(pairs: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for pair in pairs:
        name, sep, count = pair.partition("=")
        if not sep or not name.strip() or not count.strip().isdigit():
            raise UserError(f"--item {pair} 写法不对：应为 名称=件数，如 身份证=2。")
        out[name.strip()] = int(count)
    return out


def _day(text: str | None) -> dt.date:
    return date_option(text, "--date") or dt.date.today()


def split_title(text: str) -> tuple[str, str]:
    """The first line is the title when the text has more than one line."""
    lines = text.strip("\n").split("\n")
    if len(lines) > 1:
        return lines[0].strip(), "\n".join(lines[1:]).strip()
    return "", lines[0].strip() if lines else ""


def run(args: argparse.Namespace) -> int:
    from adsdesk.domain.money import format_fen
    from adsdesk.domain.pricing import quote
    from adsdesk.domain.ratecard import UNIT_NAMES, parse_card

    if args.runs < 1:
        raise UserError("--runs 至少为 1。")
    items = _items(args.item)
    day = _day(args.date)
    if args.card:
        card = parse_card(read_card_file(args.card))
    else:
        from adsdesk.store.ratecards import card_for

        open_db(args, existing=True)
        found = card_for(args.category, day)
        if found is None:
            raise UserError(
                f"数据库里没有 {day} 适用于“{args.category or '未分类'}”的价目表；"
                "请用 adsdesk ratecard import 导入，或用 --card 指定文件。"
            )
        card = found
    title, body = split_title(read_input(args.file))
    q = quote(
        card, args.category, title, body, runs=args.runs, surcharges=args.surcharge, items=items
    )
    if args.json:
        print_json(q.as_dict())
        return EXIT_OK
    print(f"价目表：{q.card}（{UNIT_NAMES[q.unit]}）")
    print(f"字数 {q.chars}，行数 {q.lines}，计费单位 {q.units}")
    for name, count, price in q.items:
        print(f"  {name} × {count} @ {format_fen(price)}")
    print(f"每期 {format_fen(q.per_run_fen)} 元 × {q.paid_runs} 期（共 {q.runs} 期）")
    for s in q.surcharges:
        print(f"  加价 {s.name} {s.percent}%")
    if q.discount_percent:
        print(f"  折扣 {q.discount_percent}%")
    print(f"合计 {format_fen(q.total_fen)} 元")
    return EXIT_OK
