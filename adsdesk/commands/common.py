"""Helpers every command shares: the database named by --db, dates and text input, JSON output."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from adsdesk import paths
from adsdesk.errors import UserError


def db_target(args: argparse.Namespace, default: Path | None = None) -> str:
    """The database the command works on: --db, else the default file."""
    return str(args.db) if getattr(args, "db", None) else str(default or paths.default_db_path())


def open_db(
    args: argparse.Namespace, default: Path | None = None, *, existing: bool = False
) -> str:
    """Open (creating or migrating as needed) the command's database; returns its target.

    ``existing``: a command that only works on what a desk holds (search, reports, export …)
    refuses a file named by --db that is not there, rather than make an empty desk of it: a
    mistyped path would otherwise answer "0 ads" as if the desk had lost them."""
    from adsdesk.store.database import init_db, is_server_url

    target = db_target(args, default)
    named = getattr(args, "db", None)
    if existing and named and not is_server_url(target) and not Path(target).exists():
        raise UserError(
            f"数据库文件 {target} 不存在：请检查 --db 的路径（新建受理台用 adsdesk db init）。"
        )
    init_db(target)
    return target


def date_option(text: str | None, flag: str) -> dt.date | None:
    """The date given with ``flag`` (None when not given); one sentence when it is no date."""
    if text is None or not text.strip():
        return None
    from adsdesk.domain.dates import parse_date

    try:
        return parse_date(text)
    except ValueError:
        raise UserError(f"{flag} 的日期“{text}”不对，应写成 2023-02-24 这样。") from None


def add_input_argument(parser: argparse.ArgumentParser) -> None:
    """The optional ``FILE|-`` an ad's text is read from (see :func:`read_input`)."""
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE|-",
        help="广告文字所在的文件；- 或不写：从标准输入读",
    )


def read_input(name: str) -> str:
    """The text of file ``name``, or of standard input for ``-`` (UTF-8 or GB18030)."""
    from adsdesk.io.text_files import decode_text, read_text_file

    if name == "-":
        return decode_text(sys.stdin.buffer.read(), "标准输入")
    return read_text_file(Path(name).expanduser())


def print_json(payload: object) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
