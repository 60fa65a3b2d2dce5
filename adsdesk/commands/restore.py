"""``adsdesk restore SRC``: replace the database with a backup; the current file is kept aside."""

from __future__ import annotations

import argparse
from pathlib import Path

from adsdesk.commands.common import db_target
from adsdesk.errors import EXIT_OK

NAME = "restore"
HELP = "从备份恢复数据库（当前库先另存）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC")


def run(args: argparse.Namespace) -> int:
    from adsdesk.store.backup import restore_from
    from adsdesk.store.upkeep import configured_backup_dir

    db_file = Path(db_target(args))
    kept = restore_from(Path(args.src), db_file, configured_backup_dir(db_file))
    print(f"已从 {args.src} 恢复到 {db_file}" + (f"；原数据库另存为 {kept}" if kept else ""))
    return EXIT_OK
