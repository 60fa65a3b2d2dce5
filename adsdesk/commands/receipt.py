"""``adsdesk receipt ORDER --pdf OUT.pdf``: an order's receipt (收据); reprints are marked 补打."""

from __future__ import annotations

import argparse
from pathlib import Path

from adsdesk.commands.common import open_db
from adsdesk.errors import EXIT_OK, UserError

NAME = "receipt"
HELP = "打印订单收据为 PDF（重印标“补打”）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("order", metavar="ORDER", help="订单号（如 20240105-007）或编号")
    parser.add_argument("--pdf", required=True, metavar="OUT.pdf", help="收据写到这个 PDF 文件")


def run(args: argparse.Namespace) -> int:
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.io.atomic import write_atomic
    from adsdesk.layout.receipt import write_receipt_pdf
    from adsdesk.store.orders import TillError, get_order, note_print, receipt_data

    open_db(args, existing=True)
    try:
        info = get_order(args.order)
        data = receipt_data(info.id)
    except TillError as exc:
        raise UserError(str(exc)) from exc
    ensure_gui_app()
    reprint = note_print(info.id)
    data = receipt_data(info.id, reprint=reprint)
    write_atomic(Path(args.pdf), lambda tmp: write_receipt_pdf(data, tmp))
    mark = "（补打）" if reprint else ""
    print(f"收据{mark}：订单 {info.serial}，合计 {data.total_fen / 100:.2f} 元 → {args.pdf}")
    return EXIT_OK
