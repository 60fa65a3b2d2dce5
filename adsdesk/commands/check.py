"""``adsdesk check [FILE|-]``: check an ad's text — its phones and its wording."""

from __future__ import annotations

import argparse

from adsdesk.commands.common import add_input_argument, print_json, read_input
from adsdesk.commands.phone import area_and_refused, phone_line
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK

NAME = "check"
HELP = "检查一则广告的文字：电话与用语"


def configure(parser: argparse.ArgumentParser) -> None:
    add_input_argument(parser)
    parser.add_argument("--category", help="广告分类，如 医疗体检、招聘")
    parser.add_argument("--area-code", help="本报区号（默认取设置里本报的区号）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印检查结果")


def run(args: argparse.Namespace) -> int:
    from adsdesk.domain.checks import check_text

    text = read_input(args.file)
    area, refused = area_and_refused(args)
    result = check_text(text, args.category, area, refused)
    if args.json:
        print_json(result.as_dict())
    else:
        for m in result.phones:
            print(phone_line(m.check))
        for f in result.findings:
            mark = "禁止" if f.level == "block" else "提醒"
            print(f"[{mark}] {f.message}")
        if not result.phones and not result.findings:
            print("未发现问题。")
    return EXIT_BLOCKED if result.blocked else EXIT_OK
