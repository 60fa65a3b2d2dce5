"""China's place and carrier names by number prefix, read from a compact shipped table.

phonenumbers' own geocoder data covers the whole world and takes a quarter of a second to
import; this table holds only +86 and is searched in place (no parsing), so ``adsdesk phone``
and the editor answer at once. Built by ``adsdesk.domain.cn_numbers_build``.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache

from adsdesk.assets import resource_path

TABLE_FILE = "prefixes.dat"
NAMES_FILE = "names.json"
# A record: kind letter (g place, c carrier) + national prefix, padded with "." to KEY_WIDTH,
# then the name's index as 4 digits. Records are sorted, so a key is found by bisection.
KEY_WIDTH = 12
RECORD = KEY_WIDTH + 4


@cache
def _table() -> tuple[bytes, list[str], str]:
    folder = resource_path("cn_numbers")
    doc = json.loads((folder / NAMES_FILE).read_text("utf-8"))
    return (folder / TABLE_FILE).read_bytes(), list(doc["names"]), str(doc["country"])


def _find(table: bytes, key: bytes) -> int:
    lo, hi = 0, len(table) // RECORD
    while lo < hi:
        mid = (lo + hi) // 2
        k = table[mid * RECORD : mid * RECORD + KEY_WIDTH]
        if k < key:
            lo = mid + 1
        elif k > key:
            hi = mid
        else:
            return int(table[mid * RECORD + KEY_WIDTH : (mid + 1) * RECORD])
    return -1


def _floor(table: bytes, key: bytes) -> int:
    """Index of the last record whose key sorts at or before ``key`` (-1: none)."""
    lo, hi = 0, len(table) // RECORD
    while lo < hi:
        mid = (lo + hi) // 2
        if table[mid * RECORD : mid * RECORD + KEY_WIDTH] <= key:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@cache
def _longest_digits(kind: str) -> int:
    """Digits of the longest prefix of this kind in the table (places 7, carriers 4)."""
    table = _table()[0]
    head = kind.encode("ascii")
    return max(
        (
            len(key.rstrip(b".")) - 1
            for key in (table[i : i + KEY_WIDTH] for i in range(0, len(table), RECORD))
            if key[:1] == head
        ),
        default=KEY_WIDTH - 1,
    )


def _longest(kind: str, national: str) -> str | None:
    # Only the first digits can match a prefix: cut the rest, and remember the answer (a
    # carrier is one of a few hundred 3-4 digit prefixes, a place one of ~130,000 up to 7).
    return _longest_of(kind, national[: _longest_digits(kind)])


@lru_cache(maxsize=1 << 16)
def _longest_of(kind: str, national: str) -> str | None:
    table, names, _ = _table()
    # One bisection usually does: every prefix of the query sorts at or before it (the "."
    # padding sorts before digits), the longer the later; so when the last record at or
    # before the query is a prefix of it, it is the longest one.
    query = (kind + national[: KEY_WIDTH - 1]).encode("ascii")
    i = _floor(table, query.ljust(KEY_WIDTH, b"."))
    if i >= 0:
        found = table[i * RECORD : i * RECORD + KEY_WIDTH].rstrip(b".")
        if len(found) > 1 and query.startswith(found):
            return names[int(table[i * RECORD + KEY_WIDTH : (i + 1) * RECORD])]
    for n in range(min(len(national), KEY_WIDTH - 1), 0, -1):
        i = _find(table, (kind + national[:n]).ljust(KEY_WIDTH, ".").encode("ascii"))
        if i >= 0:
            return names[i]
    return None


def place(national: str) -> str:
    """Place of a valid geographic +86 number given its national digits, else the country."""
    found = _longest("g", national)
    return found if found is not None else country()


def country() -> str:
    """China's own name, the place of a number with no more exact one."""
    return _table()[2]


def carrier(national: str) -> str:
    """Carrier of a valid +86 mobile number given its national digits, or ``""``."""
    return _longest("c", national) or ""
