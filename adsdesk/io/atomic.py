"""Output files written whole or not at all: a temporary file beside the target, checked,
flushed to disk, then renamed over the target.

Every writer of a file the desk hands to someone (press PDF, PNG, CSV/XLSX exports, receipts,
backups) goes through :func:`atomic_output`::

    with atomic_output(path, verify=verify_pdf) as tmp:
        write_the_file(tmp)          # any writer that takes a path
    # here ``path`` is complete and checked, or untouched and an OutputError was raised

A failed or short write (disk full, file-size limit, a painter that silently gave up) leaves
no empty or partial file behind and never replaces a good older file.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from adsdesk.errors import DeskError

Verifier = Callable[[Path], None]


class OutputError(DeskError):
    """A file could not be written whole; the sentence says why and that nothing was left."""


_WHY = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EFBIG: "文件超过了允许的大小",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENOENT: "文件夹不存在",
    errno.EISDIR: "这是一个文件夹",
}


def why(exc: OSError) -> str:
    """The reason of an OS error in the clerk's words (disk full, no permission …)."""
    return _WHY.get(exc.errno or 0, exc.strerror or str(exc))


class BadOutput(Exception):
    """Raised by a verifier: the written file is not what it should be (reason in Chinese)."""


def temp_name(target: Path) -> Path:
    """A fresh hidden name in the target's folder, keeping its suffix (writers go by it)."""
    return target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


@contextmanager
def atomic_output(target: Path, verify: Verifier | None = None) -> Iterator[Path]:
    """Yield a temporary path to write; on success check it, fsync it and rename it to target.

    Raises :class:`OutputError` (target untouched, temporary file removed) when writing,
    checking or renaming fails.
    """
    target = Path(target).expanduser()
    folder = target.resolve().parent
    if not folder.is_dir():
        raise OutputError(f"无法写入 {target}：文件夹 {folder} 不存在。")
    if target.is_dir():
        raise OutputError(f"无法写入 {target}：这是一个文件夹。")
    tmp = folder / temp_name(target).name
    try:
        yield tmp
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise BadOutput("写出的文件是空的")
        if verify is not None:
            verify(tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
    except BadOutput as exc:
        _remove(tmp)
        if _free(folder) < LOW_SPACE:
            raise OutputError(
                f"磁盘已满：{target} 没有写成（{folder} 空间不足），未留下不完整的文件。"
                "请腾出磁盘空间后重试。"
            ) from exc
        raise OutputError(
            f"{target} 没有写成（{exc}），未留下不完整的文件。请检查磁盘空间后重试。"
        ) from exc
    except OSError as exc:
        _remove(tmp)
        raise OutputError(
            f"无法写入 {target}：{why(exc)}（{folder}），未留下不完整的文件。"
        ) from exc
    except BaseException:
        _remove(tmp)
        raise
    fsync_dir(folder)


LOW_SPACE = 1 << 20  # bytes free below which a short write is put down to a full disk


def _free(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return 1 << 40


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def write_bytes_atomic(target: Path, data: bytes, verify: Verifier | None = None) -> None:
    """Write ``data`` to ``target`` whole or not at all."""
    with atomic_output(target, verify) as tmp:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()


# --- verifiers: cheap checks that the file on disk is whole and readable ------------------
def verify_pdf(path: Path) -> None:
    """A PDF: header, an end-of-file trailer, a cross-reference table whose every entry points
    at an object (read back from the file), and at least one page."""
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise BadOutput("不是 PDF 文件")
    tail = data[-1024:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise BadOutput("PDF 文件不完整（没有结尾）")
    offset = tail.rsplit(b"startxref", 1)[1].split()[0]
    if not offset.isdigit() or int(offset) >= len(data):
        raise BadOutput("PDF 文件的目录位置不对")
    start = int(offset)
    if data[start : start + 4] == b"xref":
        table = data[start : data.find(b"trailer", start)]
        for entry in re.finditer(rb"(\d{10}) \d{5} n", table):
            at = int(entry.group(1))
            if not re.match(rb"\d+ \d+ obj", data[at : at + 24]):
                raise BadOutput("PDF 文件的目录与内容对不上")
    elif not re.match(rb"\d+ \d+ obj", data[start : start + 24]):
        raise BadOutput("PDF 文件的目录读不出来")
    if not re.search(rb"/Type\s*/Page\b", data):
        raise BadOutput("PDF 文件里没有页面")


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def verify_png(path: Path) -> None:
    """A PNG: signature, header chunk, and the closing IEND chunk."""
    data = path.read_bytes()
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise BadOutput("不是 PNG 图片")
    if data[-8:-4] != b"IEND":
        raise BadOutput("PNG 图片不完整")


def verify_zip(path: Path) -> None:
    """An .xlsx (a zip): every member reads back with a correct checksum."""
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise BadOutput("表格文件不完整") from exc
    if bad is not None:
        raise BadOutput(f"表格文件中的 {bad} 已损坏")


def verify_text(expected_lines: int | None = None, encoding: str = "utf-8-sig") -> Verifier:
    """A text file (CSV): decodes whole, and has at least ``expected_lines`` lines."""

    def check(path: Path) -> None:
        try:
            text = path.read_bytes().decode(encoding)
        except UnicodeDecodeError as exc:
            raise BadOutput("文本文件不完整") from exc
        if expected_lines is not None and text.count("\n") < expected_lines:
            raise BadOutput("文本文件不完整（行数不足）")

    return check


def verifier_for(path: Path) -> Verifier | None:
    """The check that fits the file's kind, by suffix (PDF, PNG, XLSX); None for others."""
    return {
        ".pdf": verify_pdf,
        ".png": verify_png,
        ".xlsx": verify_zip,
        ".xlsm": verify_zip,
    }.get(path.suffix.lower())


def write_atomic(target: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a temporary path beside ``target``; the file appears only whole
    and checked (by :func:`verifier_for` its suffix)."""
    target = Path(target).expanduser()
    with atomic_output(target, verifier_for(target)) as tmp:
        write(tmp)


def save_workbook(workbook: object, target: Path) -> None:
    """An openpyxl workbook saved in memory first, then written whole (a disk that fills
    mid-save would leave openpyxl's writers half closed, printing tracebacks)."""
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)  # type: ignore[attr-defined]
    write_bytes_atomic(target, buffer.getvalue(), verify_zip)
