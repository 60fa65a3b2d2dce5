"""Killed in the middle: committed ads survive, imports are all or nothing, helpers die too."""

from __future__ import annotations

import csv
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from adsdesk.store.database import close_db, init_db
from adsdesk.store.settings import ensure_default_categories

IMPORT_ROWS = 300


def _fresh(path: Path) -> Path:
    init_db(path)
    ensure_default_categories()
    close_db()
    return path


def _writer(db: Path, tag: str, count: int = 100_000) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "adsdesk.bench.durability", "save-loop", str(db), str(count), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _importer(db: Path, table: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "adsdesk", "import", str(table), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _table(folder: Path, tag: str, rows: int) -> Path:
    path = folder / f"{tag}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["分类", "标题", "正文", "刊登日期"])
        for i in range(rows):
            phone = f"1393521{i % 10000:04d}"
            out.writerow(
                ["其他", f"{tag}-{i}", f"{tag} 第{i}则 旧家具出售 电话 {phone}", "2024-03-01"]
            )
    return path


def _ids(db: Path, where: str = "1", args: tuple = ()) -> set[int]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute(f"SELECT id FROM ad WHERE {where}", args)}
    finally:
        con.close()


def _integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def test_twenty_kills_lose_no_committed_ad_and_leave_a_whole_file(tmp_path: Path):
    """20 SIGKILLs at random moments: five rounds of three desks saving and one import, all
    writing the same file, each killed mid-work. The processes come from a fork server that
    has the desk's modules loaded (a fresh interpreter per kill would take a second each)."""
    from adsdesk.bench.durability import PRELOAD, import_file, save_to_pipe

    db = _fresh(tmp_path / "kill.sqlite3")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    rng = random.Random(20240301)
    committed: set[int] = set()
    kills = 0
    for round_no in range(5):
        tag = f"导入{round_no}"
        writers = []
        for w in range(3):
            receive, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=save_to_pipe, args=(str(db), f"写{round_no}-{w}", send))
            proc.start()
            send.close()
            writers.append((proc, receive))
        for _proc, receive in writers:  # let each commit a few, then kill it mid-save
            for _ in range(rng.randint(1, 8)):
                committed.add(receive.recv())
        table = str(_table(tmp_path, tag, IMPORT_ROWS))
        importer = ctx.Process(target=import_file, args=(str(db), table))
        importer.start()  # while the desks keep saving
        importer.join(timeout=rng.uniform(0.2, 1.2))
        for proc in (*(p for p, _ in writers), importer):
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.join()
        for _proc, receive in writers:  # ids sent before the kill were committed too
            while receive.poll():
                try:
                    committed.add(receive.recv())
                except EOFError:
                    break
            receive.close()
        assert _integrity(db) == "ok"
        missing = committed - _ids(db)
        assert not missing, f"round {round_no}: committed ads lost: {sorted(missing)}"
        n = len(_ids(db, "title LIKE ?", (f"{tag}-%",)))
        assert n in (0, IMPORT_ROWS), f"import {tag}: {n} of {IMPORT_ROWS} rows kept"
    assert kills >= 15 and len(committed) > 15


def test_import_helpers_die_with_a_killed_import(tmp_path: Path):
    """A kill during the row checks used to leave the checking processes running."""
    db = _fresh(tmp_path / "big.sqlite3")
    table = _table(tmp_path, "大表", 24_000)  # above the size checked in several processes
    proc = _importer(db, table)
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while not children and proc.poll() is None and time.monotonic() < deadline:
        children = _children(proc.pid)
    assert children, "the import never started helper processes"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(c) for c in children):
        os.sched_yield()
    assert not [c for c in children if _alive(c)], "helper processes outlived the import"
    assert _ids(db) == set()  # and nothing of the import was kept


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and "python" in (entry / "cmdline").read_bytes().decode(
            errors="replace"
        ):
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_two_desks_saving_at_once_see_no_errors(tmp_path: Path):
    """Two processes saving the same file at full speed: every save waits its turn."""
    db = _fresh(tmp_path / "two.sqlite3")
    procs = [_writer(db, tag, count=80) for tag in ("甲", "乙")]
    outputs = [p.communicate()[0].splitlines() for p in procs]
    errors = [x for lines in outputs for x in lines if x.startswith("ERR")]
    assert errors == []
    assert all(p.returncode == 0 for p in procs)
    assert len(_ids(db)) == 160 and _integrity(db) == "ok"
