"""Backups of a desk on a PostgreSQL server: ``pg_dump`` in its custom format and ``pg_restore``,
if installed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adsdesk.store.database import StoreError, redact


def dump_server(url: str, dest: Path | None, backups_dir: Path) -> Path:
    """Write ``pg_dump -Fc`` of the database at ``url``; restore with ``pg_restore``.

    The password, if any, comes from ~/.pgpass or the service file as for the desk itself.
    """
    tool = _client_tool("pg_dump", "备份")
    name = urlsplit(url).path.lstrip("/") or "adsdesk"
    if dest is None:
        dest = backups_dir / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.dump"
    elif dest.is_dir():
        dest = dest / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.dump"
    if dest.exists():
        raise StoreError(f"{dest} 已存在；为免覆盖，请换一个文件名。")
    dest.parent.mkdir(parents=True, exist_ok=True)
    done = _run_tool(tool, "--format=custom", f"--file={dest}", f"--dbname={_libpq(url)}")
    if done.returncode != 0:
        dest.unlink(missing_ok=True)
        raise StoreError(f"pg_dump 备份 {redact(url)} 失败：{_first_error(done.stderr)}")
    return dest


def restore_server(url: str, src: Path, backups_dir: Path) -> Path:
    """Replace the data of the server desk at ``url`` with the ``pg_dump`` backup ``src``, in
    one transaction (on any error nothing changes); returns where the data as it was is
    dumped first.

    Not ``pg_restore --clean``: it drops each object of the backup one by one and fails on
    the search documents' partitions (their keys are the partitioned table's). Instead the
    desk's schema is emptied and the backup's SQL (``pg_restore -f -``) replayed, both in one
    ``psql --single-transaction``.

    Ids the desk gave out since the backup are not given out again: ``pg_restore`` sets the
    sequences back to the backup's values, so they are raised to where they had been. Open
    desks see the ``restored_at`` mark and reload what they show.
    """
    tool, psql = _client_tool("pg_restore", "恢复"), _client_tool("psql", "恢复")
    if not src.is_file():
        raise StoreError(f"备份文件 {src} 不存在。")
    with src.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"SQLite format 3"):
        raise StoreError(
            f"{src} 是单机受理台的数据库文件，不是服务器的备份；要把它搬到服务器上，请新建一个"
            "空库，用 adsdesk db copy 复制过去。未做任何改动。"
        )
    if not head.startswith(b"PGDMP"):
        raise StoreError(
            f"{src} 不是 pg_dump 备份（adsdesk backup --db 服务器地址 写出的 .dump 文件），"
            "未做任何改动。"
        )
    marks = _id_marks(url)
    kept = dump_server(url, None, backups_dir)
    why = _replay(tool, psql, url, src)
    if why:
        raise StoreError(
            f"恢复 {redact(url)} 失败：{why}。数据库未改动（恢复在一个事务里）；"
            f"恢复前的数据另存为 {kept}。"
        )
    _after_restore(url, marks)
    return kept


LOCK_WAIT_S = 15  # how long the restore waits for other desks' open transactions


def _client_tool(name: str, what: str) -> str:
    """The path of PostgreSQL's client program ``name``, or the sentence saying to install it."""
    tool = shutil.which(name)
    if tool is None:
        raise StoreError(
            f"找不到 {name}：服务器上的数据库用 PostgreSQL 客户端的 {name} {what}。请安装 "
            "PostgreSQL 客户端（Debian/Ubuntu：sudo apt install postgresql-client）后再试。"
        )
    return tool


def _env(**extra: str) -> dict[str, str]:
    """The client programs' environment: a connection gives up after 10 s."""
    return {**os.environ, "PGCONNECT_TIMEOUT": "10", **extra}


def _replay(pg_restore: str, psql: str, url: str, src: Path) -> str:
    """Empty the desk's schema and replay the backup into it, in one transaction; "" when
    done, else the first error. Waits at most ``LOCK_WAIT_S`` for another desk's transaction
    (emptying the schema needs every table to itself), rather than for ever."""
    options = f"{os.environ.get('PGOPTIONS', '')} -c lock_timeout={LOCK_WAIT_S}s"
    env = _env(PGOPTIONS=options.strip())
    with tempfile.TemporaryFile() as script_err:
        script = subprocess.Popen(
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(src)],
            stdout=subprocess.PIPE,
            stderr=script_err,
            env=env,
        )
        assert script.stdout is not None
        try:
            replay = subprocess.run(
                [
                    psql,
                    "-X",
                    "-q",
                    "--set=ON_ERROR_STOP=1",
                    "--single-transaction",
                    "--command=DROP SCHEMA public CASCADE",
                    "--command=CREATE SCHEMA public",
                    "--file=-",
                    f"--dbname={_libpq(url)}",
                ],
                stdin=script.stdout,
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
        finally:
            script.stdout.close()
            script.wait()
        script_err.seek(0)
        script_text = script_err.read().decode(errors="replace")
    if replay.returncode != 0:
        if "lock timeout" in replay.stderr:
            return (
                f"另一台受理台有未完成的操作，等了 {LOCK_WAIT_S} 秒仍未结束；请先关掉其他受理台"
                "（或等它们保存完）再恢复"
            )
        return _first_error(replay.stderr)
    if script.returncode != 0:
        return _first_error(script_text)
    return ""


def _first_error(text: str) -> str:
    """The first line of a client program's messages that reports an error (else the first)."""
    lines = (text or "").strip().splitlines()
    errors = [line for line in lines if "error" in line.lower() or "错误" in line]
    return (errors or lines or ["未知原因"])[0]


def _one(cur: Any) -> tuple[Any, ...]:
    row = cur.fetchone()
    assert row is not None  # (aggregates and functions always give a row)
    return tuple(row)


def _id_marks(url: str) -> dict[str, int]:
    """The highest id each ``KEEP_IDS`` table has given out (its sequence, or its rows), by the
    name of the table's id sequence."""
    import psycopg2

    from adsdesk.store.id_floor import KEEP_IDS

    marks: dict[str, int] = {}
    with closing(psycopg2.connect(_libpq(url), connect_timeout=10)) as con, con.cursor() as cur:
        for table in KEEP_IDS:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,))
            seq = _one(cur)[0]
            cur.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            best = int(_one(cur)[0])
            if seq:
                cur.execute(f"SELECT last_value, is_called FROM {seq}")
                last, called = _one(cur)
                marks[seq] = max(best, int(last) if called else int(last) - 1)
    return marks


def _after_restore(url: str, marks: dict[str, int]) -> None:
    import psycopg2

    with closing(psycopg2.connect(_libpq(url), connect_timeout=10)) as con:
        with con, con.cursor() as cur:  # one transaction
            for seq, mark in marks.items():
                if mark > 0:
                    cur.execute(
                        f"SELECT setval(%s, greatest(%s, (SELECT last_value FROM {seq})))",
                        (seq, mark),
                    )
            cur.execute(
                "INSERT INTO meta_info (key, value) VALUES ('restored_at', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                (dt.datetime.now().isoformat(timespec="microseconds"),),
            )


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _run_tool(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tool, *args], capture_output=True, text=True, env=_env(), check=False)
