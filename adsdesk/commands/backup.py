"""``adsdesk backup [DEST]``: a consistent copy of the database, safe while the desk is open."""

from __future__ import annotations

import argparse
from pathlib import Path

from adsdesk.commands.common import db_target
from adsdesk.errors import EXIT_OK

NAME = "backup"
HELP = "安全复制数据库"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dest", nargs="?", metavar="DEST")


def run(args: argparse.Namespace) -> int:
    from adsdesk.store.backup import backup_to
    from adsdesk.store.upkeep import configured_backup_dir

    db_file = Path(db_target(args))
    dest = backup_to(
        db_file, Path(args.dest) if args.dest else None, configured_backup_dir(db_file)
    )
    print(f"已备份到 {dest}")
    return EXIT_OK
