"""PostgreSQL search documents: every 1- and 2-character piece of a text as one 32-bit code.

A document's ``grams`` is an ``integer[]`` under a GIN index. Integers rather than the text
pieces themselves: GIN compares keys while it builds and searches, and a text comparison goes
through the database's collation (``C.UTF-8`` is not the byte-wise "C" fast path), an integer
comparison does not. Measured on the synthetic million (2 cores, load 5–6): building the index
took 190 s of server CPU over ``text[]``, 46 s over ``integer[]``; a row check in a scan costs a
third, and the table is half the size.

A code is a pair of 16-bit characters read as one signed 32-bit integer, ``b << 16 | a``:

- a 2-character piece ``ab`` is the pair (a, b);
- a single character ``c`` is the pair (c, U+0001), and an ad's category ``k`` the pair
  (k, U+0002): normalised text never holds U+0001 or U+0002 (control characters become
  spaces), so these never meet a real piece.

- every 4 digits in a row (``8662`` in ``13935218662``) are one more code, the pair
  (n, U+0003) for the number n they read: the last digits of a phone number are a desk's
  everyday query, and their 2-digit pieces are in nearly every ad (a query for 4 digits
  found ~4 ads holding its pieces apart for each ad holding it, and each has to be read).

- in an advertiser's document only, every 3 letters or digits in a row (``yiy`` in
  ``hepingyiyuan``) are one more code, the pair (t, U+0004) for the triple's number t in base
  36: pinyin is a clerk's everyday way to find a customer, and its 2-letter pieces are each in
  20–70% of the advertisers (``an``, ``ng``, ``yi``), so a pinyin query ANDing them read a
  large part of the table (p95 46 ms over 375,668 advertisers); 3-letter pieces are rare.

Characters outside the Basic Multilingual Plane share codes (0xD800 | low 11 bits, a range no
stored text can hold): a query holding one is checked against the text (``needs_check``), so
the answer stays exact. The codes come from the text's UTF-16 bytes read as integers, with no
Python step per character (a million ads' documents in about a minute).
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

from adsdesk.store.search_text import DIGIT_RUN, DIGITS_4, ad_fields, advertiser_fields

_WIDE = "\U00010000"  # the first character outside the Basic Multilingual Plane
_SINGLE = 0x0001 << 16  # (c, U+0001): one character c
_CATEGORY = 0x0002 << 16  # (k, U+0002): category k
_DIGITS = 0x0003 << 16  # (n, U+0003): the 4 digits reading n, in a row
_TRIPLE = 0x0004 << 16  # (t, U+0004): 3 letters or digits in a row, t in base 36 (< 46,656)
_LATIN_RUN = re.compile(r"[0-9a-z]{3,}")  # (normalised text holds no capitals)
_BASE36 = {c: i for i, c in enumerate("0123456789abcdefghijklmnopqrstuvwxyz")}


def _utf16(text: str) -> bytes:
    """The text as little-endian 16-bit units (outside the BMP: folded, see the module)."""
    if text and max(text) >= _WIDE:
        text = "".join(c if c < _WIDE else chr(0xD800 | (ord(c) & 0x7FF)) for c in text)
    return text.encode("utf-16-le", "surrogatepass")


def _int32(data: bytes | bytearray) -> array[int]:
    out = array("i", data)  # native order: the stored codes must not depend on the machine
    if sys.byteorder == "big":
        out.byteswap()
    return out


def _codes(codes: set[int], units: bytes) -> None:
    """Add the codes of every character and adjacent pair of ``units`` (UTF-16-LE)."""
    n = len(units) // 2
    single = bytearray(4 * n)
    single[0::4] = units[0::2]
    single[1::4] = units[1::2]
    single[2::4] = b"\x01" * n
    codes.update(_int32(single))
    if n > 1:
        codes.update(_int32(units[: n // 2 * 4]))  # pairs starting at even positions
        codes.update(_int32(units[2 : 2 + (n - 1) // 2 * 4]))  # … and at odd ones


def gram_codes(fields: Iterable[str], triples: bool = False) -> list[int]:
    """The distinct codes of every 1- and 2-character piece of each field, of every 4 digits
    in a row and, with ``triples``, of every 3 letters or digits in a row."""
    codes: set[int] = set()
    for field in fields:
        _codes(codes, _utf16(field))
        for run in DIGIT_RUN.findall(field):
            codes.update(_digit_codes(run))
        if triples:
            for run in _LATIN_RUN.findall(field):
                codes.update(_triple_codes(run))
    return list(codes)


def _digit_codes(run: str) -> set[int]:
    return {_DIGITS | int(run[i : i + 4]) for i in range(len(run) - 3)}


def _triple_codes(run: str) -> set[int]:
    n = [_BASE36[c] for c in run]
    return {_TRIPLE | (n[i] * 1296 + n[i + 1] * 36 + n[i + 2]) for i in range(len(n) - 2)}


def category_code(category_id: int) -> int:
    """The code an ad's category adds to its document (categories number far below 65,536)."""
    return _CATEGORY | (category_id & 0xFFFF)


def query_codes(text: str, triples: bool = False) -> list[int]:
    """The codes a normalised, non-empty query needs: its own (1–2 characters) or those of
    its distinct 2-character pieces (longer: then the text itself is checked too), with
    ``triples`` (documents made with them) the codes of its 3-letter pieces instead of the
    2-letter ones they hold."""
    units = _utf16(text)
    if len(units) == 2:
        return [_SINGLE | int.from_bytes(units, "little")]
    n = len(units) // 2
    inside: set[int] = set()  # pieces within longer runs whose codes imply them
    codes: set[int] = set()
    if max(text) < _WIDE:  # (then a character is a UTF-16 unit)
        for run in DIGIT_RUN.finditer(text):
            inside.update(range(run.start(), run.end() - 1))
            codes.update(_digit_codes(run.group()))
        for run in _LATIN_RUN.finditer(text) if triples else ():
            inside.update(range(run.start(), run.end() - 1))
            codes.update(_triple_codes(run.group()))
    codes.update(
        int.from_bytes(units[2 * i : 2 * i + 4], "little", signed=True)
        for i in range(n - 1)
        if i not in inside
    )
    return sorted(codes)


def needs_check(text: str, triples: bool = False) -> bool:
    """Must rows found through the codes be checked against the text? Yes for 3 or more
    characters (the pieces may lie apart) and for characters outside the BMP (shared codes);
    not for exactly 4 digits (a number's tail: one code of its own), nor, with ``triples``, for
    exactly 3 letters or digits."""
    if max(text) >= _WIDE:
        return True
    if len(text) <= 2 or DIGITS_4.fullmatch(text):
        return False
    return not (triples and _LATIN_RUN.fullmatch(text) and len(text) == 3)


def ad_docs(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """(id, title, body, codes) of ads given as (id, title, body, category id)."""
    out = []
    for ad_id, title, body, category in rows:
        t, b = ad_fields(title or "", body or "")
        codes = gram_codes((t, b))
        if category is not None:
            codes.append(category_code(category))
        out.append((ad_id, t, b, codes))
    return out


def advertiser_docs(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """(id, name, address, initials, pinyin, codes) of advertisers given as (id, name, address)."""
    out = []
    for adv_id, name, address in rows:
        fields = advertiser_fields(name or "", address or "")
        out.append((adv_id, *fields, gram_codes(fields, triples=True)))
    return out
