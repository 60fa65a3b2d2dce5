"""``adsdesk ratecard import|export|list``: the desk's rate cards as TOML files."""

from __future__ import annotations

import argparse
from pathlib import Path

from adsdesk.commands.common import open_db
from adsdesk.errors import EXIT_OK, UserError

NAME = "ratecard"
HELP = "价目表：导入、导出、列出（TOML 文件）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", choices=["import", "export", "list"], help="import 导入、export 导出、list 列出"
    )
    parser.add_argument(
        "file", nargs="?", metavar="CARD.toml", help="导入或导出的价目表文件（list 不用）"
    )
    parser.add_argument("--id", type=int, help="导出哪一份（默认最新生效的一份）")


def run(args: argparse.Namespace) -> int:
    from adsdesk.commands.price import read_card_file
    from adsdesk.store import ratecards

    open_db(args, existing=args.action != "import")  # importing a card may start a desk
    if args.action == "list":
        for c in ratecards.list_cards():
            state = "" if c.active else "（停用）"
            print(f"{c.id}\t{c.effective}\t{c.category}\t{c.name}{state}")
        return EXIT_OK
    if not args.file:
        raise UserError(f"ratecard {args.action} 需要一个文件名，如 card.toml。")
    if args.action == "import":
        card_id = ratecards.save_card(read_card_file(args.file))
        print(f"已导入价目表（编号 {card_id}）：{args.file}")
        return EXIT_OK
    cards = ratecards.list_cards()
    if not cards:
        raise UserError("数据库里还没有价目表，无可导出。")
    card_id = args.id if args.id is not None else cards[0].id
    try:
        text = ratecards.card_text(card_id)
    except LookupError as exc:
        raise UserError(str(exc)) from exc
    from adsdesk.io.atomic import write_bytes_atomic

    write_bytes_atomic(Path(args.file), text.encode("utf-8"))
    print(f"已导出价目表（编号 {card_id}）到 {args.file}")
    return EXIT_OK
