"""SQLite file faults told apart (read-only, locked, damaged, disk full) and integrity checks.

Each fault gets its own advice: a read-only folder or a file locked by another program is not
damage, and sending the clerk to restore a healthy file would be wrong.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from enum import Enum
from pathlib import Path

# SQLite primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _CANTOPEN, _PERM, _AUTH = 5, 6, 8, 14, 3, 23
_CORRUPT, _NOTADB, _FULL, _IOERR = 11, 26, 13, 10
LOW_SPACE = 1 << 20  # bytes: below this an I/O error while writing is a full disk


def busy_timeout_ms() -> int:
    """How long to wait for another program's lock on the file before giving up.

    An import of 100,000 rows holds the write lock for about 20 s; a clerk's save waits behind
    it. ``ADSDESK_BUSY_TIMEOUT_MS`` changes the wait (tests shorten it).
    """
    try:
        return max(0, int(os.environ.get("ADSDESK_BUSY_TIMEOUT_MS", "60000")))
    except ValueError:
        return 60_000


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection of its own to ``path`` that waits for locks like the desk."""
    uri = f"{path.expanduser().resolve().as_uri()}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms() / 1000)


class Fault(Enum):
    READ_ONLY = "read_only"
    LOCKED = "locked"
    DAMAGED = "damaged"
    DISK_FULL = "disk_full"
    OTHER = "other"


def sqlite_causes(exc: BaseException) -> list[sqlite3.Error]:
    """The sqlite3 errors behind ``exc`` and the errors it was raised during, outermost first
    (peewee wraps each as its first argument)."""
    seen: set[int] = set()
    found: list[sqlite3.Error] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, sqlite3.Error):
            found.append(e)
        todo += [a for a in e.args if isinstance(a, BaseException)]
        todo += [e.__cause__, e.__context__]
    return found


def sqlite_cause(exc: BaseException) -> sqlite3.Error | None:
    causes = sqlite_causes(exc)
    return causes[0] if causes else None


def _folder_writable(path: Path) -> bool:
    folder = path.expanduser().resolve().parent
    if not os.access(folder, os.W_OK):
        return False
    return not path.exists() or os.access(path, os.W_OK)


def free_bytes(path: Path) -> int:
    try:
        return shutil.disk_usage(path.expanduser().resolve().parent).free
    except OSError:
        return 1 << 40


def classify(exc: BaseException, path: Path | None) -> Fault:
    """Which fault an exception raised on the SQLite file at ``path`` stands for.

    The whole chain is looked at: a rollback that failed after the disk filled up is still a
    full disk.
    """
    causes: list[BaseException] = [*sqlite_causes(exc)] or [exc]
    faults = [_classify_one(e, path) for e in causes]
    return next((f for f in faults if f is not Fault.OTHER), Fault.OTHER)


def _classify_one(err: BaseException, path: Path | None) -> Fault:
    text = str(err).lower()
    code = getattr(err, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_BUSY, _LOCKED) or "database is locked" in text:
        return Fault.LOCKED
    if primary in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return Fault.DAMAGED
    if primary == _FULL or "disk is full" in text:
        return Fault.DISK_FULL
    if path is not None and primary in (_READONLY, _CANTOPEN, _PERM, _AUTH, _IOERR, None):
        if not _folder_writable(path):
            return Fault.READ_ONLY
    if primary == _READONLY or "readonly" in text:
        return Fault.READ_ONLY
    if primary == _IOERR and path is not None and free_bytes(path) < LOW_SPACE:
        return Fault.DISK_FULL
    return Fault.OTHER


def advice(fault: Fault, path: Path, detail: str = "", *, writing: bool = False) -> str:
    """One sentence for the clerk: what is wrong with the file and what to do."""
    folder = path.expanduser().resolve().parent
    if fault is Fault.READ_ONLY:
        return (
            f"数据库文件 {path} 所在的文件夹（或文件本身）是只读的，受理台无法在其中写入。"
            f"文件完好，未被改动；请把它复制到可写的文件夹后用 --db 打开，或请管理员开放写权限。"
        )
    if fault is Fault.LOCKED:
        return (
            f"数据库文件 {path} 正被另一个程序占用（例如另一台受理台正在导入，或备份、同步软件锁住了它），"
            f"等待后仍未放开。{'刚才的修改没有保存' if writing else '文件未被改动'}；"
            f"请稍后再试，或关闭占用它的程序。"
        )
    if fault is Fault.DAMAGED:
        why = f"（{detail}）" if detail else ""
        return (
            f"数据库文件 {path} 已损坏{why}。请用 adsdesk restore 从备份恢复"
            f"（损坏的文件会原样另存一份）。"
        )
    if fault is Fault.DISK_FULL:
        what = "刚才的修改没有保存，数据库保持原样" if writing else "数据库未被改动"
        return f"磁盘已满：{folder} 没有空间写入数据库，{what}。请腾出磁盘空间后重试。"
    return f"数据库 {path} 出错：{detail or '未知错误'}。"


def explain(exc: BaseException, path: Path, *, writing: bool = False) -> str:
    """``advice`` for the fault behind ``exc``."""
    fault = classify(exc, path)
    causes = sqlite_causes(exc)
    detail = next((str(e) for e in causes if _classify_one(e, path) is fault), str(exc))
    return advice(fault, path, detail, writing=writing)


_KNOWN_DAMAGE: dict[str, str] = {}  # resolved path -> the sentence, found by a check


def note_damage(path: Path, sentence: str) -> None:
    """Remember (for this process) that a check found ``path`` damaged; "" forgets it."""
    key = str(path.expanduser().resolve())
    if sentence:
        _KNOWN_DAMAGE[key] = sentence
    else:
        _KNOWN_DAMAGE.pop(key, None)


def known_damage(path: Path) -> str:
    return _KNOWN_DAMAGE.get(str(path.expanduser().resolve()), "")


def check_file(path: Path, *, full: bool = True) -> list[str]:
    """Problems ``PRAGMA integrity_check`` (or the faster quick_check) finds; [] when healthy.

    Opens the file read-only on its own connection, so it is safe beside an open desk.
    Raises sqlite3.Error when the file cannot be read at all (see :func:`classify`).
    """
    pragma = "integrity_check" if full else "quick_check"
    con = connect_ro(path)
    try:
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
        if full:
            rows += [
                f"外键不符：{r[0]} 第 {r[1]} 行" for r in con.execute("PRAGMA foreign_key_check")
            ]
    finally:
        con.close()
    return [] if rows == ["ok"] else [r for r in rows if r != "ok"]
