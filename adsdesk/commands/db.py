"""``adsdesk db ACTION``: look after the database itself (``check``: the full integrity check).

Actions are registered in ``ACTIONS``; each has a configure(parser) and a run(args) -> exit code.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from adsdesk.commands.common import db_target, print_json
from adsdesk.errors import EXIT_BLOCKED, EXIT_OK, UserError

NAME = "db"
HELP = "数据库维护：check 完整检查（损坏时退出码为 1）"


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", parser_class=type(parser))
    for name, (help_text, configure_action, _run) in ACTIONS.items():
        sub = actions.add_parser(name, help=help_text)
        sub.add_argument(
            "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help="数据库文件或 URL"
        )
        configure_action(sub)


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "db_action", None)
    if action is None:
        raise UserError(f"请指明要做什么：adsdesk db {'|'.join(ACTIONS)}。")
    return ACTIONS[action][2](args)


# --- check -------------------------------------------------------------------------------
def _configure_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="只做快速检查（不核对索引内容）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印结果")


def _run_check(args: argparse.Namespace) -> int:
    target = db_target(args)
    if "://" in target and not target.startswith("sqlite"):
        raise UserError(f"{target} 是服务器数据库；db check 目前只检查 SQLite 文件。")
    path = Path(target.removeprefix("sqlite:///")).expanduser()
    if not path.is_file():
        raise UserError(f"数据库文件 {path} 不存在。")
    result = check_sqlite(path, full=not args.quick)
    if args.json:
        print_json(result)
    elif result["ok"]:
        print(f"{path}：完好（{result['check']}，用时 {result['seconds']} 秒）。")
    else:
        print(result["message"])
        for line in result["problems"][:20]:
            print(f"  {line}")
    return EXIT_OK if result["ok"] else EXIT_BLOCKED


def check_sqlite(path: Path, *, full: bool = True) -> dict:
    """Run the integrity check on ``path``; a dict for the clerk, the JSON and the exit code.

    Damage is a result (ok False); a file that cannot be checked for another reason (locked,
    unreadable) is a UserError with its own advice.
    """
    from adsdesk.store.database import SQLITE_HEADER
    from adsdesk.store.sqlite_health import Fault, advice, check_file, classify

    with path.open("rb") as fh:
        header = fh.read(16)
    if header and header != SQLITE_HEADER:
        raise UserError(f"{path} 不是 SQLite 数据库文件。")
    started = time.perf_counter()
    kind = "integrity_check" if full else "quick_check"
    try:
        problems = check_file(path, full=full)
    except sqlite3.Error as exc:
        fault = classify(exc, path)
        if fault is not Fault.DAMAGED:
            raise UserError(advice(fault, path, str(exc))) from exc
        problems = [str(exc)]
    seconds = round(time.perf_counter() - started, 2)
    ok = not problems
    message = "" if ok else advice(Fault.DAMAGED, path, f"发现 {len(problems)} 处问题")
    return {
        "database": str(path),
        "check": kind,
        "ok": ok,
        "problems": problems,
        "seconds": seconds,
        "message": message,
    }


Action = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
ACTIONS: dict[str, Action] = {
    "check": (
        "完整检查数据库（PRAGMA integrity_check）；损坏时退出码为 1",
        _configure_check,
        _run_check,
    ),
}
