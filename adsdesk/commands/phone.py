"""``adsdesk phone NUMBER…``: check numbers exactly as the editor does."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from adsdesk.commands.common import print_json
from adsdesk.domain.profile import area_code_problem
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK, UserError

if TYPE_CHECKING:
    from adsdesk.domain.phone_check import PhoneCheck

NAME = "phone"
HELP = "检查电话号码，与编辑器的判断完全一致"
KIND_NAMES = {"mobile": "手机", "landline": "固话", "shared_cost": "400电话", "other": "其他"}


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("numbers", nargs="+", metavar="NUMBER", help="一个或几个电话号码，照原样写")
    parser.add_argument("--area-code", help="本报区号（默认取设置里本报的区号）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印判断结果")


def area_and_refused(args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    """Area code and refuse list from the database when one is named or already exists."""
    from adsdesk import paths
    from adsdesk.commands.common import open_db

    area = args.area_code
    refused: dict[str, str] = {}
    target = args.db or (paths.default_db_path() if paths.default_db_path().exists() else None)
    if target:
        from adsdesk.store.settings import load_settings, refused_numbers

        open_db(argparse.Namespace(db=str(target)))
        area = area or load_settings().area_code
        refused = refused_numbers()
    if not area:
        from adsdesk.store.paper_default import DEFAULT_PROFILE

        area = DEFAULT_PROFILE.area_code
    problem = area_code_problem(area)
    if problem:
        raise UserError(problem)
    return area, refused


def phone_line(r: PhoneCheck) -> str:
    """One number's verdict as a line of text."""
    if not r.valid:
        return f"✗ {r.input}：{r.reason}"
    parts = [f"✓ {r.input} → {r.display}", KIND_NAMES.get(r.kind, r.kind)]
    parts += [x for x in (r.region, r.carrier, r.note) if x]
    return "  ".join(parts)


def run(args: argparse.Namespace) -> int:
    from adsdesk.domain.phone_check import check_phone

    area, _ = area_and_refused(args)
    results = [check_phone(n, area) for n in args.numbers]
    if args.json:
        print_json([r.as_dict() for r in results])
    else:
        for r in results:
            print(phone_line(r))
    return EXIT_OK if all(r.valid for r in results) else EXIT_BLOCKED
