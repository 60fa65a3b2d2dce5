"""Helpers every command shares: opening the database named by --db, printing JSON."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from adsdesk import paths
from adsdesk.errors import UserError


def db_target(args: argparse.Namespace, default: Path | None = None) -> str:
    """The database the command works on: --db, else the default file."""
    return str(args.db) if getattr(args, "db", None) else str(default or paths.default_db_path())


def open_db(args: argparse.Namespace, default: Path | None = None) -> str:
    """Open (creating or migrating as needed) the command's database; returns its target."""
    from adsdesk.store.database import StoreError, init_db

    target = db_target(args, default)
    try:
        init_db(target)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    return target


def print_json(payload: object) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))
