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
HELP = "数据库维护：init 新建、upgrade 升级、check 检查、copy 搬到服务器（或搬回文件）"


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
    _configure_url(parser)
    parser.add_argument("--quick", action="store_true", help="只做快速检查（不核对索引内容）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印结果")


def _run_check(args: argparse.Namespace) -> int:
    target = _target(args)
    if "://" in target and not target.startswith("sqlite"):
        return _check_server(target, args.json)
    path = Path(target.removeprefix("sqlite:///")).expanduser()
    if not path.is_file():
        raise UserError(f"数据库文件 {path} 不存在。")
    result = check_sqlite(path, full=not args.quick)
    if result["ok"]:  # a sound file: do its search index and its data agree?
        from adsdesk.store.dbcopy import check_database
        from adsdesk.store.models import db

        _open(str(path))
        index = check_database(db.obj)
        result.update(
            schema_version=index["schema_version"], counts=index["counts"], ok=index["ok"]
        )
        result["problems"] = index["problems"]
        result["message"] = "" if index["ok"] else "数据库文件完好，但：" + index["problems"][0]
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


def _target(args: argparse.Namespace) -> str:
    """The database named positionally (``db check URL``) or by --db, else the default."""
    named = getattr(args, "url", None)
    return str(named) if named else db_target(args)


def _open(target: str) -> None:
    from adsdesk.store.database import StoreError, init_db

    try:
        init_db(target)
    except StoreError as exc:
        raise UserError(str(exc)) from exc


def _check_server(target: str, as_json: bool) -> int:
    from adsdesk.store.dbcopy import check_database
    from adsdesk.store.models import db

    _open(target)
    result = check_database(db.obj)
    if as_json:
        print_json(result)
    else:
        counts = result["counts"]
        print(
            f"结构版本 {result['schema_version']}；广告 {counts['ad']} 则，客户 {counts['advertiser']} 个，"
            f"刊登 {counts['insertion']} 次。"
        )
        print("搜索索引与数据一致。" if result["ok"] else "\n".join(result["problems"]))
        for line in result["advice"]:
            print(f"建议：{line}")
    return EXIT_OK if result["ok"] else EXIT_BLOCKED


# --- init / upgrade ----------------------------------------------------------------------
def _configure_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", nargs="?", metavar="PATH_OR_URL", help="数据库文件或 URL")


def _run_init(args: argparse.Namespace) -> int:
    from adsdesk.store.database import SCHEMA_VERSION, redact
    from adsdesk.store.settings import ensure_default_categories

    target = _target(args)
    _open(target)
    ensure_default_categories()
    print(f"已就绪：{redact(target)}（结构版本 {SCHEMA_VERSION}）。各受理台用 --db 指向它即可。")
    return EXIT_OK


def _run_upgrade(args: argparse.Namespace) -> int:
    from adsdesk.store.database import SCHEMA_VERSION, is_server_url, redact

    target = _target(args)
    before = _server_version(target) if is_server_url(target) else _file_version(target)
    if before is None:
        raise UserError(f"{redact(target)} 还不是 adsdesk 数据库；新建请用 adsdesk db init。")
    _open(target)
    if before == SCHEMA_VERSION:
        print(f"{redact(target)} 已是最新结构（版本 {SCHEMA_VERSION}），无需升级。")
    else:
        print(f"{redact(target)} 已从结构版本 {before} 升级到 {SCHEMA_VERSION}。")
    return EXIT_OK


def _file_version(target: str) -> int | None:
    from adsdesk.store.database import StoreError, inspect_sqlite

    path = Path(target.removeprefix("sqlite:///")).expanduser()
    if not path.is_file():
        return None
    try:
        version, has_tables = inspect_sqlite(path)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    return version if has_tables else None


def _server_version(target: str) -> int | None:
    from peewee import DatabaseError

    from adsdesk.store.database import StoreError, _connect_error, _open_url

    try:
        database = _open_url(target)
        database.connect()
        try:
            if "meta_info" not in database.get_tables():
                return None
            row = database.execute_sql(
                "SELECT value FROM meta_info WHERE key = 'schema_version'"
            ).fetchone()
            return int(row[0]) if row else None
        finally:
            database.close()
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    except DatabaseError as exc:
        raise UserError(str(_connect_error(target, exc))) from exc


# --- copy --------------------------------------------------------------------------------
def _configure_copy(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="FROM", help="现有的数据库（文件或 URL）")
    parser.add_argument("target", metavar="TO", help="新建的空库（文件或 URL）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印核对结果")


def _run_copy(args: argparse.Namespace) -> int:
    import sys

    from adsdesk.store.database import StoreError
    from adsdesk.store.dbcopy import copy_database

    shown = {"table": ""}

    def progress(table: str, done: int, total: int) -> None:
        if not sys.stderr.isatty() and done < total:
            return
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r{table:<16} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        shown["table"] = table

    try:
        report = copy_database(args.source, args.target, progress)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    if args.json:
        print_json(
            {
                "source": report.source,
                "target": report.target,
                "tables": report.tables,
                "ads": report.tables.get("ad", 0),
                "ads_checksum": report.ads_checksum,
                "seconds": report.seconds,
                "load_s": round(report.load_s, 1),
                "index_s": round(report.index_s, 1),
                "verify_s": round(report.verify_s, 1),
            }
        )
    else:
        print(
            f"已复制到 {report.target}：{report.tables.get('ad', 0)} 则广告，"
            f"{sum(report.tables.values())} 行，核对一致（校验和 {report.ads_checksum[:12]}…），"
            f"用时 {report.seconds} 秒。"
        )
    return EXIT_OK


Action = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]
ACTIONS: dict[str, Action] = {
    "init": ("新建受理台数据库（文件或服务器上的空库）", _configure_url, _run_init),
    "upgrade": ("把数据库升级到本程序的结构版本", _configure_url, _run_upgrade),
    "copy": (
        "把整个受理台复制到另一个新建的空库（一个事务，核对行数与每则广告的校验和）",
        _configure_copy,
        _run_copy,
    ),
    "check": (
        "完整检查数据库（PRAGMA integrity_check）；损坏时退出码为 1",
        _configure_check,
        _run_check,
    ),
}
