"""``adsdesk restore SRC``: replace the database with a backup; the current data is kept aside
(a file copied, a server desk dumped with ``pg_dump``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from adsdesk.commands.common import db_target
from adsdesk.errors import EXIT_OK

NAME = "restore"
HELP = "从备份恢复数据库（当前库先另存）"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("src", metavar="SRC", help="备份文件（backup 写出的）")


def run(args: argparse.Namespace) -> int:
    from adsdesk.store.backup import restore_from
    from adsdesk.store.database import is_server_url, redact
    from adsdesk.store.upkeep import configured_backup_dir

    target = db_target(args)
    if is_server_url(target):  # a desk on a server: PostgreSQL's own pg_restore
        from adsdesk import paths
        from adsdesk.store.backup_pg import restore_server

        dumped = restore_server(target, Path(args.src), paths.data_dir() / "backups")
        print(f"已从 {args.src} 恢复到 {redact(target)}；恢复前的数据另存为 {dumped}")
        return EXIT_OK
    db_file = Path(target)
    kept = restore_from(Path(args.src), db_file, configured_backup_dir(db_file))
    print(f"已从 {args.src} 恢复到 {db_file}" + (f"；原数据库另存为 {kept}" if kept else ""))
    return EXIT_OK
