"""``adsdesk backup [DEST]``: a consistent copy of the database, safe while the desk is open."""

from __future__ import annotations

import argparse
from pathlib import Path

from adsdesk.commands.common import db_target
from adsdesk.errors import EXIT_OK

NAME = "backup"
HELP = "安全复制数据库"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "dest", nargs="?", metavar="DEST", help="备份写到哪个文件或文件夹（默认备份文件夹）"
    )


def run(args: argparse.Namespace) -> int:
    from adsdesk.store.backup import backup_to
    from adsdesk.store.database import is_server_url
    from adsdesk.store.upkeep import configured_backup_dir

    target = db_target(args)
    if is_server_url(target):  # a desk on a server: PostgreSQL's own pg_dump
        from adsdesk import paths
        from adsdesk.store.backup_pg import dump_server

        dest = dump_server(
            target, Path(args.dest) if args.dest else None, paths.data_dir() / "backups"
        )
        print(f"已备份到 {dest}（pg_dump 格式，用 pg_restore 恢复）")
        return EXIT_OK
    db_file = Path(target)
    dest = backup_to(
        db_file, Path(args.dest) if args.dest else None, configured_backup_dir(db_file)
    )
    print(f"已备份到 {dest}")
    return EXIT_OK
