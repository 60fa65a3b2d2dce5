"""Toneless pinyin of Chinese characters and phrases, read from a compact shipped table.

pypinyin's dictionaries take ~60 MB of memory and half a second to import; the desk needs only
each character's first reading and the phrases that decide heteronyms (银行 → yin hang), without
tones. Built from pypinyin by ``adsdesk.domain.pinyin_build``; the tests compare the two.

The table (UTF-8 text, one entry a line after a ``#`` header): a character and its reading, or
a phrase and its readings separated by spaces — or the phrase alone when they are the
characters' own first readings (it still matters: a phrase matched takes its characters off
the text, so the phrases starting inside it are not tried).
"""

from __future__ import annotations

import sys
from functools import cache

from adsdesk.assets import resource_path

TABLE_FILE = "readings.txt"
AS_READ = ()  # a phrase read as its characters' own first readings


@cache
def tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]], int]:
    """(character → reading, phrase → readings or ``AS_READ``, longest phrase length)."""
    chars: dict[str, str] = {}
    phrases: dict[str, tuple[str, ...]] = {}
    syllables: dict[str, str] = {}  # one string object per distinct reading
    text = resource_path("pinyin", TABLE_FILE).read_text("utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("\t")
        key = sys.intern(key)
        if len(key) == 1:
            chars[key] = syllables.setdefault(value, value)
        elif value:
            phrases[key] = tuple(syllables.setdefault(r, r) for r in value.split(" "))
        else:
            phrases[key] = AS_READ
    return chars, phrases, max(map(len, phrases), default=1)


def readings(text: str) -> list[str]:
    """The toneless reading of each character of ``text`` that has one, and every ASCII letter
    or digit as itself; phrases (longest first, left to right) decide heteronyms."""
    chars, phrases, longest = tables()
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(longest, n - i), 1, -1):
            found = phrases.get(text[i : i + size])
            if found is not None:
                out += found if found is not AS_READ else [chars[c] for c in text[i : i + size]]
                i += size
                break
        else:
            ch = text[i]
            reading = chars.get(ch)
            if reading is not None:
                out.append(reading)
            elif ch.isascii() and ch.isalnum():
                out.append(ch)
            i += 1
    return out
