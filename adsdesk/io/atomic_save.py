"""Write output files whole or not at all: a temporary file in the same folder, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from adsdesk.errors import UserError


def write_atomic(path: Path, write: Callable[[Path], Any]) -> None:
    """Call ``write(tmp)`` on a temporary path beside ``path``, then move it into place."""
    path = path.expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"无法写入 {path}：文件夹 {folder} 不存在。")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=path.suffix)
        os.close(fd)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{exc.strerror}。") from exc
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{exc.strerror}。") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


def save_workbook(workbook: Any, path: Path) -> None:
    write_atomic(path, lambda tmp: workbook.save(tmp))
