"""``adsdesk`` / ``adsdesk gui``: open the desk on the database (the default command)."""

from __future__ import annotations

import argparse

from adsdesk.commands.common import db_target

NAME = "gui"
HELP = "打开受理台（默认）"


def configure(parser: argparse.ArgumentParser) -> None:
    """No options besides --db."""


def run(args: argparse.Namespace) -> int:
    from adsdesk.ui.app import run_gui

    return run_gui(db_target(args))
