"""``adsdesk audit``: the record of who changed what, filtered; ``--verify`` checks the chain."""

from __future__ import annotations

import argparse

from adsdesk.commands.common import date_option, open_db, print_json
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK

NAME = "audit"
HELP = "查看修改记录（谁、何时、在哪台电脑、改了什么）；--verify 校验记录链"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ad", type=int, metavar="N", help="只看这则广告的记录")
    parser.add_argument("--user", metavar="U", help="只看这个用户（或电脑）的记录")
    parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="从这一天起")
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="到这一天止")
    parser.add_argument("--limit", type=int, metavar="N", help="最多列出几条（默认全部）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument(
        "--verify", action="store_true", help="校验记录链：有记录被改动或删除时退出码为 1"
    )


def run(args: argparse.Namespace) -> int:
    from adsdesk.store.audit import entries, verify_chain

    open_db(args, existing=True)
    if args.verify:
        check = verify_chain()
        if args.json:
            print_json(check.as_dict())
        elif check.ok:
            print(f"记录链完好：共 {check.records} 条记录。")
        else:
            print(f"记录链被破坏：{check.problem}。")
        return EXIT_OK if check.ok else EXIT_BLOCKED
    found = entries(
        ad_id=args.ad,
        user=args.user,
        date_from=date_option(args.date_from, "--from"),
        date_to=date_option(args.date_to, "--to"),
        limit=args.limit,
    )
    if args.json:
        print_json({"records": [e.as_dict() for e in found]})
        return EXIT_OK
    for e in found:
        what = "；".join(f"{k}: {_short(v[0])} → {_short(v[1])}" for k, v in _pairs(e.changes))
        extra = "".join(
            [
                f"  原因：{e.reason}" if e.reason else "",
                f"  批准：{e.approver}" if e.approver else "",
            ]
        )
        print(f"#{e.seq} {e.at:%Y-%m-%d %H:%M:%S} {e.who}@{e.computer} {e.action} {what}{extra}")
    if not found:
        print("没有符合条件的记录。")
    return EXIT_OK


def _pairs(changes: dict[str, object]) -> list[tuple[str, list[object]]]:
    return [
        (k, v if isinstance(v, list) and len(v) == 2 else [None, v]) for k, v in changes.items()
    ]


def _short(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:29] + "…"
