"""Backups of a desk on a PostgreSQL server: ``pg_dump`` in its custom format, if installed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from adsdesk.store.database import StoreError, redact


def dump_server(url: str, dest: Path | None, backups_dir: Path) -> Path:
    """Write ``pg_dump -Fc`` of the database at ``url``; restore with ``pg_restore``.

    The password, if any, comes from ~/.pgpass or the service file as for the desk itself.
    """
    tool = shutil.which("pg_dump")
    if tool is None:
        raise StoreError(
            "找不到 pg_dump：服务器上的数据库用 PostgreSQL 自带的 pg_dump 备份。请安装 "
            "PostgreSQL 客户端（Debian/Ubuntu：sudo apt install postgresql-client）后再试。"
        )
    name = urlsplit(url).path.lstrip("/") or "adsdesk"
    if dest is None:
        dest = backups_dir / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.dump"
    elif dest.is_dir():
        dest = dest / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.dump"
    if dest.exists():
        raise StoreError(f"{dest} 已存在；为免覆盖，请换一个文件名。")
    dest.parent.mkdir(parents=True, exist_ok=True)
    libpq_url = url.replace("postgres://", "postgresql://", 1)
    done = subprocess.run(
        [tool, "--format=custom", f"--file={dest}", f"--dbname={libpq_url}"],
        capture_output=True,
        text=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
        check=False,
    )
    if done.returncode != 0:
        dest.unlink(missing_ok=True)
        why = (done.stderr or "").strip().splitlines()[-1:] or ["未知原因"]
        raise StoreError(f"pg_dump 备份 {redact(url)} 失败：{why[0]}")
    return dest
