"""Helpers that put the desk under faults: a tiny disk, a file-size limit, flipped bytes."""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tiny_disk(folder: Path, size_kb: int = 256) -> Iterator[Path]:
    """A real, nearly empty filesystem of ``size_kb`` mounted at ``folder`` (tmpfs).

    Mounting needs root (CI runs as root); elsewhere the test is skipped and the file-size
    limit tests (``run_limited``) cover the same code paths.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("a small tmpfs can only be mounted by root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave_kb: int) -> None:
    """Fill the filesystem at ``folder`` until about ``leave_kb`` are free."""
    free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave_kb * 1024))


def _limit(max_bytes: int) -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))


def run_adsdesk(*args: str, limit_bytes: int | None = None, **kw) -> subprocess.CompletedProcess:
    """``adsdesk ARGS`` in a child process; with ``limit_bytes`` no file it writes may grow
    beyond that size (RLIMIT_FSIZE: writes past it fail as on a full disk)."""
    return subprocess.run(
        [sys.executable, "-m", "adsdesk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=(lambda: _limit(limit_bytes)) if limit_bytes else None,
        **kw,
    )


def damage(path: Path, table: str = "ad_phone") -> None:
    """Overwrite bytes inside the first index page of ``table``: the kind of damage a bad disk
    sector or a flipped bit leaves, which only an integrity check notices."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute(
        "SELECT rootpage FROM sqlite_master WHERE type='index' AND tbl_name=? ORDER BY name",
        (table,),
    ).fetchone()[0]
    con.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size + 8)
        fh.write(b"\xff" * 8)


@contextmanager
def read_only_folder(folder: Path, files: list[Path]) -> Iterator[Path]:
    """``folder`` holding copies of ``files``, where nothing may be written.

    Root ignores permission bits, so as root the folder is a tmpfs remounted read-only;
    otherwise it is an ordinary folder with its write permission taken away.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        with tiny_disk(folder, size_kb=4096):
            for f in files:
                (folder / f.name).write_bytes(f.read_bytes())
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            yield folder
        return
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
