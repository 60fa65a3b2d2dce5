"""The command line: ``adsdesk`` opens the desk; subcommands script every capability."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from adsdesk import paths
from adsdesk.commands.common import db_target, open_db, print_json
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK, UserError

KIND_NAMES = {"mobile": "手机", "landline": "固话", "shared_cost": "400电话", "other": "其他"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"参数有误：{message}。用 adsdesk --help 查看用法。")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH_OR_URL", help="数据库文件或 URL（默认在用户数据目录）"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="adsdesk", description="便民信息广告受理台")
    _db_option(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("gui", help="打开受理台（默认）")
    _db_option(p)

    p = sub.add_parser("demo", help="用样例版面（2023-02-24）建库并打开")
    _db_option(p)
    p.add_argument("--no-gui", action="store_true", help="只建库，不打开窗口")

    p = sub.add_parser("phone", help="检查电话号码，与编辑器的判断完全一致")
    _db_option(p)
    p.add_argument("numbers", nargs="+", metavar="NUMBER")
    p.add_argument("--area-code", help="本报区号（默认取设置，样例为 0352）")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="检查一则广告的文字：电话与用语")
    _db_option(p)
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-")
    p.add_argument("--category", help="广告分类，如 医疗体检、招聘")
    p.add_argument("--area-code")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("backup", help="安全复制数据库")
    _db_option(p)
    p.add_argument("dest", nargs="?", metavar="DEST")

    p = sub.add_parser("restore", help="从备份恢复数据库（当前库先另存）")
    _db_option(p)
    p.add_argument("src", metavar="SRC")

    for module in plugged_commands():
        p = sub.add_parser(module.NAME, help=module.HELP)
        _db_option(p)
        module.configure(p)
    return parser


def plugged_commands() -> list[Any]:
    """Command modules in ``adsdesk.commands``: each has NAME, HELP, configure(p), run(args)."""
    import adsdesk.commands as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found.append(module)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(args_list)
        command = args.command or "gui"
        if command not in ("gui", "demo"):
            from adsdesk.store.actor import cli_actor, set_actor

            set_actor(cli_actor())  # the record names this computer and its login
        if command in COMMANDS:
            return COMMANDS[command](args)
        module = next(m for m in plugged_commands() if m.NAME == command)
        return int(module.run(args))
    except UserError as exc:
        print(f"adsdesk: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stdout = open(os.devnull, "w")  # silence the flush at exit
        return 0


def _area_and_refused(args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    """Area code and refuse list from the database when one is named or already exists."""
    area = args.area_code
    refused: dict[str, str] = {}
    target = args.db or (paths.default_db_path() if paths.default_db_path().exists() else None)
    if target:
        from adsdesk.store.settings import load_settings, refused_numbers

        open_db(argparse.Namespace(db=str(target)))
        area = area or load_settings().area_code
        refused = refused_numbers()
    area = area or "0352"
    if not (area.isdigit() and area.startswith("0") and 3 <= len(area) <= 4):
        raise UserError(f"区号 {area} 不对：应为 0 开头的 3 到 4 位数字，如 0352。")
    return area, refused


def cmd_gui(args: argparse.Namespace) -> int:
    from adsdesk.ui.app import run_gui

    return run_gui(db_target(args))


def cmd_demo(args: argparse.Namespace) -> int:
    from adsdesk.demo import fill_demo
    from adsdesk.store.settings import ensure_default_categories

    target = open_db(args, paths.demo_db_path())
    ensure_default_categories()
    added = fill_demo()
    print(f"样例数据库：{target}（新增 {added} 则广告）" if added else f"样例数据库：{target}")
    if args.no_gui:
        return EXIT_OK
    from adsdesk.demo import SAMPLE_DATE
    from adsdesk.ui.app import run_gui

    return run_gui(target, SAMPLE_DATE)


def cmd_phone(args: argparse.Namespace) -> int:
    from adsdesk.domain.phone_check import check_phone

    area, _ = _area_and_refused(args)
    results = [check_phone(n, area) for n in args.numbers]
    if args.json:
        print_json([r.as_dict() for r in results])
    else:
        for r in results:
            print(_phone_line(r))
    return EXIT_OK if all(r.valid for r in results) else EXIT_BLOCKED


def _phone_line(r: object) -> str:
    from adsdesk.domain.phone_check import PhoneCheck

    assert isinstance(r, PhoneCheck)
    if not r.valid:
        return f"✗ {r.input}：{r.reason}"
    parts = [f"✓ {r.input} → {r.display}", KIND_NAMES.get(r.kind, r.kind)]
    parts += [x for x in (r.region, r.carrier, r.note) if x]
    return "  ".join(parts)


def cmd_check(args: argparse.Namespace) -> int:
    from adsdesk.domain.checks import check_text

    text = _read_text(args.file)
    area, refused = _area_and_refused(args)
    result = check_text(text, args.category, area, refused)
    if args.json:
        payload = result.as_dict()
        print_json(payload)
    else:
        for m in result.phones:
            print(_phone_line(m.check))
        for f in result.findings:
            mark = "禁止" if f.level == "block" else "提醒"
            print(f"[{mark}] {f.message}")
        if not result.phones and not result.findings:
            print("未发现问题。")
    return EXIT_BLOCKED if result.blocked else EXIT_OK


def _read_text(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise UserError(f"找不到文件 {name}。")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserError(f"无法读取 {name}：{exc.strerror}。") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{name} 不是文本文件（既非 UTF-8 也非 GB18030 编码）。")


def cmd_backup(args: argparse.Namespace) -> int:
    from adsdesk.store.backup import backup_to
    from adsdesk.store.database import StoreError

    db_file = Path(db_target(args))
    try:
        dest = backup_to(
            db_file, Path(args.dest) if args.dest else None, paths.data_dir() / "backups"
        )
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    print(f"已备份到 {dest}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from adsdesk.store.backup import restore_from
    from adsdesk.store.database import StoreError

    db_file = Path(db_target(args))
    try:
        kept = restore_from(Path(args.src), db_file, paths.data_dir() / "backups")
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    print(f"已从 {args.src} 恢复到 {db_file}" + (f"；原数据库另存为 {kept}" if kept else ""))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "demo": cmd_demo,
    "phone": cmd_phone,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
}
