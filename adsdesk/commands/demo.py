"""``adsdesk demo``: fill a database with the sample column (2023-02-24) and open it."""

from __future__ import annotations

import argparse

from adsdesk import paths
from adsdesk.commands.common import open_db
from adsdesk.errors import EXIT_OK

NAME = "demo"
HELP = "用样例版面（2023-02-24）建库并打开"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-gui", action="store_true", help="只建库，不打开窗口")


def run(args: argparse.Namespace) -> int:
    from adsdesk.demo import SAMPLE_DATE, demo_clerk, ensure_demo_accounts, fill_demo
    from adsdesk.store.settings import ensure_default_categories

    target = open_db(args, paths.demo_db_path())
    ensure_default_categories()
    added = fill_demo()
    ensure_demo_accounts()
    print(f"样例数据库：{target}（新增 {added} 则广告）" if added else f"样例数据库：{target}")
    if args.no_gui:
        return EXIT_OK
    from adsdesk.ui.app import run_gui

    return run_gui(target, SAMPLE_DATE, demo_clerk())
