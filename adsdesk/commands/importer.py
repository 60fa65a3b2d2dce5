"""``adsdesk import FILE``: ads from .csv/.xlsx tables or from text split into ads."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from adsdesk.commands.common import date_option, db_target, open_db, print_json
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK, UserError

NAME = "import"
HELP = "导入广告：.csv、.xlsx 表格，或 .txt/.md 文字（自动拆分成广告）"

TEXT_SUFFIXES = (".txt", ".md", ".text")
TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".tsv")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help=".csv、.xlsx，或 .txt/.md 文字")
    parser.add_argument(
        "--date",
        action="append",
        default=[],
        metavar="YYYY-MM-DD",
        help="刊登日期，可多次给出（文字拆出的广告、及表格里没写日期的行都登在这些日期）",
    )
    parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不保存")
    parser.add_argument("--skip-bad", action="store_true", help="有问题的行不导入，其余照常导入")
    parser.add_argument(
        "--again",
        action="store_true",
        help="同一天已登过同样内容的行也导入（默认跳过并列出，以免重复导入同一文件）",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="表头=字段",
        help="把其他表头对应到字段：标题、正文、电话、分类、客户、刊登日期、特批理由，或 忽略",
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 打印拆分、检查与导入结果")


def _dates(values: list[str]) -> list[dt.date]:
    return [d for d in (date_option(v, "--date") for v in values) if d is not None]


def _mapping(pairs: list[str]) -> dict[str, str]:
    from adsdesk.io.tables import FIELD_NAMES, FIELDS, IGNORE

    by_name = {v: k for k, v in FIELD_NAMES.items()} | {f: f for f in FIELDS}
    by_name |= {"忽略": IGNORE, "ignore": IGNORE}
    out: dict[str, str] = {}
    for pair in pairs:
        header, sep, name = pair.partition("=")
        if not sep or name.strip() not in by_name:
            choices = "、".join([*FIELD_NAMES.values(), "忽略"])
            raise UserError(f"--map {pair} 不对：应写成 表头=字段，字段为 {choices} 之一。")
        out[header.strip()] = by_name[name.strip()]
    return out


def run(args: argparse.Namespace) -> int:
    from adsdesk.domain.splitter import split_text
    from adsdesk.io.import_tables import (
        already_booked,
        import_rows,
        import_table,
        plan_from_drafts,
    )
    from adsdesk.io.tables import read_table
    from adsdesk.io.text_files import read_text_file
    from adsdesk.store.settings import (
        DEFAULT_CATEGORIES,
        DeskSettings,
        list_categories,
        load_profile,
        refused_numbers,
    )

    path = Path(args.file).expanduser()
    dates = _dates(args.date)
    mapping = _mapping(args.map)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"找不到文件 {args.file}。")
    if suffix not in TEXT_SUFFIXES + TABLE_SUFFIXES:
        raise UserError(f"{path.name} 不能导入：只接受 .csv、.xlsx 表格或 .txt、.md 文字。")

    target = db_target(args)
    # A dry run writes nothing: with no database file yet, check against the defaults.
    has_db = not (args.dry_run and "://" not in target and not Path(target).exists())
    if has_db:
        open_db(args)
        profile = load_profile()
        categories = list_categories() or None
        refused = refused_numbers()
    else:
        profile, categories, refused = DeskSettings().profile(), list(DEFAULT_CATEGORIES), {}
    payload: dict[str, object] = {}
    unit = "行"
    if suffix in TEXT_SUFFIXES:
        result = split_text(read_text_file(path), profile, categories, refused)
        plan = plan_from_drafts(result.drafts, dates, str(path))
        payload["masthead"] = result.masthead.as_dict() if result.masthead else None
        unit = "则"
        rejected = plan.rejected
        repeats = already_booked(plan.rows) if has_db else {}
        good = [r for r in plan.good if args.again or r.row not in repeats]
        refuse_all = bool(rejected) and not args.skip_bad
        imported = 0
        if not args.dry_run and not refuse_all and good:
            imported = len(import_rows(good))
    else:
        table = read_table(path, mapping)
        if table.missing_text():
            headers = "、".join(h for h in table.headers if h) or "（无）"
            raise UserError(
                f"{path.name} 里找不到“标题”或“正文”列（表头：{headers}）；"
                "请用 --map 表头=正文 指明哪一列是广告内容。"
            )
        # Rows are checked in worker processes while this one saves those already checked.
        done = import_table(
            table,
            area_code=profile.area_code,
            refused=refused,
            categories=categories,
            default_dates=dates,
            save=not args.dry_run,
            skip_bad=args.skip_bad,
            again=args.again,
            find_repeats=has_db,
        )
        plan, repeats, refuse_all = done.plan, done.repeats, done.refused_all
        rejected = plan.rejected
        imported = len(done.ids)
        payload["ignored_columns"] = table.unknown_headers()

    payload = {
        "drafts": [r.as_dict() for r in plan.rows],
        "imported": imported,
        "rejected": plan.rejected_dicts(),
        "already_booked": [{"row": n, "reason": why} for n, why in sorted(repeats.items())],
        **payload,
        "dry_run": bool(args.dry_run),
    }
    if args.json:
        print_json(payload)
    else:
        _print_summary(plan.rows, rejected, imported, unit, args, refuse_all)
        for number, why in sorted(repeats.items()):
            verb = "仍已导入" if args.again else "未导入（加 --again 仍导入）"
            print(f"第 {number} {unit}{why}，{verb}。")
    return EXIT_BLOCKED if refuse_all else EXIT_OK


def _print_summary(
    rows: list, rejected: list, imported: int, unit: str, args: argparse.Namespace, refuse_all: bool
) -> None:
    print(f"共 {len(rows)} {unit}：无误 {len(rows) - len(rejected)}，有问题 {len(rejected)}。")
    for r in rejected:
        print(f"第 {r.row} {unit}：{r.reason}")
    if args.dry_run:
        print("试运行：没有保存任何内容。")
    elif refuse_all:
        print("有问题的广告未改正前，全部不导入；加 --skip-bad 可只导入无误的。")
    else:
        print(f"已导入 {imported} 则广告。")
