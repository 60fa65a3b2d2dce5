"""Reading a text file the clerk hands over: UTF-8 (with or without BOM) or GB18030."""

from __future__ import annotations

from pathlib import Path

from adsdesk.errors import DeskError

_LOOK = 65536  # bytes (characters) looked at for binary content


class TextFileError(DeskError):
    """A file that cannot be read as text, in one sentence."""


def decode_text(
    data: bytes, name: str, what: str = "文本文件", error: type[DeskError] | None = None
) -> str:
    """The text of a file's bytes; ``name`` and ``what`` (文本文件, CSV 表格…) word the error,
    raised as ``error`` (default :class:`TextFileError`)."""
    fail = error or TextFileError
    if b"\x00" in data[:_LOOK]:
        raise fail(f"{name} 不是{what}：文件里有二进制内容，无法读取。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:_LOOK] if ord(ch) < 32 and ch not in "\t\r\n\f")
        if controls > 8:
            raise fail(f"{name} 不是{what}：文件里有二进制内容，无法读取。")
        return text
    raise fail(f"{name} 不是{what}（既非 UTF-8 也非 GB18030 编码），无法读取。")


def read_text_file(path: Path, what: str = "文本文件", error: type[DeskError] | None = None) -> str:
    """Read and decode ``path``; every failure is one sentence naming the file."""
    fail = error or TextFileError
    if not path.is_file():
        raise fail(f"找不到文件 {path}。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"无法读取 {path.name}：{exc.strerror}。") from exc
    return decode_text(data, path.name, what, fail)
