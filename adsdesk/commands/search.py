"""``adsdesk search``: find ads and advertisers by any fragment, phone number, tail or pinyin."""

from __future__ import annotations

import argparse

from adsdesk.commands.common import date_option, open_db, print_json
from adsdesk.errors import EXIT_OK, UserError

NAME = "search"
HELP = "搜索广告与客户：任意文字片段、电话号码（任何写法或尾号）、客户名拼音"
MAX_LIMIT = 1000


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="QUERY", help="要找的文字、电话或拼音，按原样查找")
    parser.add_argument("--category", help="只看这个分类，如 房屋出售")
    parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="刊登日期自")
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="刊登日期至")
    parser.add_argument("--on", dest="on_date", metavar="YYYY-MM-DD", help="在这一期刊登")
    parser.add_argument("--limit", type=int, default=20, help="最多列出几则广告（默认 20）")
    parser.add_argument(
        "--by-date", action="store_true", help="按最近刊登日期排序（默认按录入先后，新的在前）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 打印找到的广告与客户")


def run(args: argparse.Namespace) -> int:
    from adsdesk.store.search import search
    from adsdesk.store.settings import list_categories

    if not 1 <= args.limit <= MAX_LIMIT:
        raise UserError(f"--limit 应在 1 到 {MAX_LIMIT} 之间，这里是 {args.limit}。")
    date_from, date_to = date_option(args.date_from, "--from"), date_option(args.date_to, "--to")
    on_date = date_option(args.on_date, "--on")
    if date_from and date_to and date_from > date_to:
        raise UserError(f"--from {date_from} 晚于 --to {date_to}，请对调。")
    open_db(args, existing=True)
    if args.category is not None and args.category.strip() not in list_categories():
        known = "、".join(list_categories())
        raise UserError(f"没有“{args.category}”这个分类。现有分类：{known}。")
    result = search(
        args.query,
        category=args.category,
        date_from=date_from,
        date_to=date_to,
        on_date=on_date,
        limit=args.limit,
        order="date_desc" if args.by_date else "id_desc",
        count_limit=None,
    )
    if args.json:
        print_json(
            {
                "query": result.query,
                "total": result.total,
                "ads": [
                    {
                        "id": h.id,
                        "title": h.title,
                        "snippet": h.marked_snippet(),
                        "category": h.category,
                        "dates": [d.isoformat() for d in h.dates],
                    }
                    for h in result.ads
                ],
                "advertisers": [
                    {
                        "id": a.id,
                        "name": a.name,
                        "address": a.address,
                        "phones": list(a.phones),
                        "ad_count": a.ad_count,
                        "last_date": a.last_date.isoformat() if a.last_date else None,
                        "last_ad_id": a.last_ad_id,
                        "matched": a.matched,
                    }
                    for a in result.advertisers
                ],
            }
        )
        return EXIT_OK
    print(
        f"找到 {result.total} 则广告" + (f"，列出前 {len(result.ads)} 则：" if result.ads else "。")
    )
    for h in result.ads:
        when = h.dates[-1].isoformat() if h.dates else "未排期"
        head = f"#{h.id} [{h.category or '未分类'}] {h.title}".rstrip()
        print(f"{head}  （{when}，共 {len(h.dates)} 期）\n    {h.marked_snippet()}")
    for a in result.advertisers:
        last = a.last_date.isoformat() if a.last_date else "无"
        phones = "，".join(a.phones)
        print(f"客户 #{a.id} {a.name}  {phones}  广告 {a.ad_count} 则，最近刊登 {last}")
    return EXIT_OK
