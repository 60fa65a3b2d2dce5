"""The one way to cut a long list into pieces (SQL ``IN`` lists, batches of work)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

SQL_IN = 500  # ids per ``IN (…)`` list: well under SQLite's limit on bound parameters


def chunks(items: Sequence[T], size: int = SQL_IN) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
