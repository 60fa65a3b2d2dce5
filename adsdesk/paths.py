"""Where the desk keeps its files by default (user data folder via platformdirs)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "adsdesk"


def data_dir() -> Path:
    """The user data folder; ``ADSDESK_DATA_DIR`` overrides it. Not created here."""
    override = os.environ.get("ADSDESK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "adsdesk.sqlite3"


def demo_db_path() -> Path:
    return data_dir() / "demo.sqlite3"


def cache_dir() -> Path:
    override = os.environ.get("ADSDESK_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
