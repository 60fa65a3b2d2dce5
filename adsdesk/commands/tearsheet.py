"""``adsdesk tearsheet``: proof of publication — the printed ad cut from the press PDF."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from adsdesk.commands.common import open_db
from adsdesk.commands.verify import parse_date
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK, UserError

NAME = "tearsheet"
HELP = "刊登证明：从付印 PDF 中裁出见报的广告（矢量），附报名与日期"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="刊期")
    parser.add_argument("--ad", type=int, metavar="N", help="广告编号")
    parser.add_argument(
        "--all", action="store_true", help="当期每位客户一份，写入 --pdf 指定的文件夹"
    )
    parser.add_argument(
        "--pdf", metavar="OUT.pdf|FOLDER", help="写出的刊登证明（--all 时为文件夹）"
    )
    parser.add_argument(
        "--press", metavar="PAGE.pdf", help="付印 PDF（默认用 adsdesk verify 最近核对过的那份）"
    )


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "客户"


def run(args: argparse.Namespace) -> int:
    date = parse_date(args.date)
    if not args.pdf:
        raise UserError("请用 --pdf 指定写出的文件（--all 时为文件夹）。")
    if not args.all and args.ad is None:
        raise UserError("请用 --ad 指定广告编号，或用 --all 为当期每位客户各出一份。")
    open_db(args, existing=True)
    from adsdesk.commands.export import ensure_gui_app
    from adsdesk.layout.render import RenderError
    from adsdesk.layout.tearsheet import Cut, write_tearsheet
    from adsdesk.store.bookings import issue_bookings, section_words
    from adsdesk.store.press import load_press_pdf
    from adsdesk.store.settings import load_settings
    from adsdesk.verify.pdftext import read_pdf_bytes
    from adsdesk.verify.reconcile import reconcile

    if args.press:
        path = Path(args.press)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserError(f"无法读取 {path}：{exc.strerror}。") from None
        name = path.name
    else:
        stored = load_press_pdf(date)
        if stored is None:
            raise UserError(
                f"{date.isoformat()} 还没有核对过付印 PDF：先运行 adsdesk verify --date "
                f"{date.isoformat()} --pdf 付印.pdf，或用 --press 指定付印 PDF。"
            )
        data, name = stored.data, stored.name
    bookings = issue_bookings(date)
    if not bookings:
        raise UserError(f"{date.isoformat()} 这一期没有预订任何广告。")
    report = reconcile(read_pdf_bytes(data, name), bookings, date, section_words())
    by_id = {b.id: b for b in bookings}
    settings = load_settings()
    ensure_gui_app()

    def cut(ad_id: int) -> Cut | None:
        found = report.found_of(ad_id)
        if found is None:
            return None
        b = found.box
        return Cut(ad_id, by_id[ad_id].title, b.page, b.x, b.y, b.w, b.h)

    def write(cuts: list[Cut], out: Path, customer: str) -> None:
        try:
            write_tearsheet(
                data,
                cuts,
                out,
                paper_name=settings.paper_name,
                section_name=settings.section_name,
                date=date,
                customer=customer,
            )
        except RenderError as exc:
            raise UserError(str(exc)) from exc

    altered = {a.id for a in report.altered}
    if not args.all:
        if args.ad not in by_id:
            raise UserError(f"广告 #{args.ad} 没有预订在 {date.isoformat()} 这一期。")
        one = cut(args.ad)
        if one is None:
            raise UserError(
                f"广告 #{args.ad} 在 {name} 上没有找到（漏登），无法出具刊登证明。", EXIT_BLOCKED
            )
        write([one], Path(args.pdf), by_id[args.ad].advertiser)
        print(f"已写出 {args.pdf}：广告 #{args.ad}，{name} 第 {one.page} 页")
        if args.ad in altered:
            print(f"注意：广告 #{args.ad} 见报内容与预订不符，见 adsdesk verify。")
        return EXIT_OK
    folder = Path(args.pdf)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法建立文件夹 {folder}：{exc.strerror}。") from None
    groups: dict[str, list[Cut]] = {}
    missing = []
    for b in bookings:
        c = cut(b.id)
        if c is None:
            missing.append(b.id)
            continue
        key = b.advertiser or f"广告{b.id}"
        groups.setdefault(key, []).append(c)
    for customer, cuts in groups.items():
        out = folder / f"{date.isoformat()}-{_safe(customer)}.pdf"
        write(cuts, out, customer if not customer.startswith("广告") else "")
        print(f"已写出 {out}（{len(cuts)} 则）")
    if missing:
        print("未见报（无刊登证明）：" + "、".join(f"#{i}" for i in missing))
        return EXIT_BLOCKED
    return EXIT_OK
