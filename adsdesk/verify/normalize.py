"""Text reduced to what must survive make-up: letters, digits and Chinese characters, half-width."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"\d+")


def skeleton(text: str) -> tuple[str, list[int]]:
    """The comparable characters of ``text`` and, for each, its index in ``text``.

    Full-width forms become half-width (NFKC), case is folded, and spaces, line breaks,
    hyphens and punctuation drop out, so ``０３５２－５３９ ３１２０`` and ``0352-5393120``
    both read ``03525393120``, and a line broken elsewhere reads the same.
    """
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).casefold():
            if c.isalnum():
                chars.append(c)
                where.append(i)
    return "".join(chars), where


def skel(text: str) -> str:
    return skeleton(text)[0]


def phone_digits(display: str) -> str:
    """The digits of a phone number as printed (``0352-5393120`` → ``03525393120``)."""
    return "".join(c for c in unicodedata.normalize("NFKC", display) if c.isdigit())


def digit_runs(text: str, least: int = 7) -> list[tuple[int, int]]:
    """Spans of ``least`` or more digits in a skeleton (where phone numbers can hide)."""
    return [(m.start(), m.end()) for m in _DIGITS.finditer(text) if m.end() - m.start() >= least]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance; the strings are phone numbers, so the table is tiny."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i]
        for j, cb in enumerate(b, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def differing_spans(
    booked: str, printed: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where two texts differ in what counts (see ``skeleton``), as character ranges of each
    original text: the booked characters lost or changed, the printed ones added or changed."""
    from difflib import SequenceMatcher

    a, wa = skeleton(booked)
    b, wb = skeleton(printed)
    lost: list[tuple[int, int]] = []
    added: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            lost.append((wa[i1], wa[i2 - 1] + 1))
        if j2 > j1:
            added.append((wb[j1], wb[j2 - 1] + 1))
    return lost, added
