"""Search text: the normalised form documents and queries share, tokens, pinyin, documents.

Pure functions with no database: the index helper processes import only this module.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any

from adsdesk.domain.pinyin_table import readings

Row = tuple[Any, ...]
Docs = tuple[str, list[Row], list[Row]]  # (kind, trigram rows, gram rows)


def _norm_table() -> dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII
    table.update({cp: cp + 32 for cp in range(ord("A"), ord("Z") + 1)})
    table.update({cp: cp - 0xFEE0 + 32 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ → a-z
    for cp in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        table[cp] = 0x20
    for cp in range(0x3001):
        if chr(cp).isspace():
            table[cp] = 0x20
    for cp in (0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF):
        table[cp] = 0x20
    return table


_NORM = _norm_table()


_NEEDS_NORM = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_NORM) if cp != 0x20) + "]"
)


def normalise(text: str) -> str:
    """The form both documents and queries are searched in; same length as ``text``."""
    if _NEEDS_NORM.search(text) is None:  # most ad text: nothing to map, skip the slow translate
        return text
    return text.translate(_NORM)


class _HexOf(dict[str, str]):
    """Character -> its UTF-8 bytes in hex, worked out once per character."""

    def __missing__(self, ch: str) -> str:
        value = self[ch] = ch.encode().hex()
        return value


_HEX_OF = _HexOf()


DIGIT_RUN = re.compile(r"[0-9]{4,}")  # 4 digits in a row or more (both backends' documents)
DIGITS_4 = re.compile(r"[0-9]{4}")  # a query of exactly 4 digits: one token or code of its own


def hex_grams(fields: Iterable[str]) -> str:
    """The gram document: every distinct 1- and 2-character substring of each field (in no
    particular order), each as its UTF-8 bytes in hex, and every 4 digits in a row (see
    :func:`digits_token`)."""
    grams: set[str] = set()
    hex_of = _HEX_OF.__getitem__
    for f in fields:
        # A 2-character gram's hex is its characters' hex joined: no encoding per gram.
        chars = list(map(hex_of, f))
        grams.update(chars)
        grams.update(map(operator.add, chars, chars[1:]))
        for run in DIGIT_RUN.findall(f):
            grams.update(digits_token(run[i : i + 4]) for i in range(len(run) - 3))
    return " ".join(grams)


def gram_token(gram: str) -> str:
    """The index token of a normalised 1- or 2-character query."""
    return gram.encode().hex()


def digits_token(digits: str) -> str:
    """The gram-index token of 4 digits in a row ("n" never occurs in hex tokens). A number's
    last 4 digits are a desk's everyday query: as one token their ads are one posting list
    (as a trigram phrase they were two longer lists checked side by side: 0.5 ms to count the
    ~800 ads of a tail in a million, 0.05 ms so)."""
    return "n" + digits


def category_token(category_id: int) -> str:
    """The gram-index token of an ad's category ("k" never occurs in hex tokens)."""
    return f"k{category_id}"


def category_marker(category_id: int) -> str:
    """The text of the trigram index's ``cat`` column (matched as a whole phrase)."""
    return f"k{category_id}k"


def warm_up() -> None:
    """Load the pinyin table now (about 0.1 s) rather than on the first advertiser."""
    pinyin_forms("大同")


def pinyin_forms(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name: 大同和平医院 → ("dthpyy", "datonghepingyiyuan").

    Phrases from pypinyin's dictionary decide heteronyms (银行 → yinhang); other characters
    take their first reading (``domain.pinyin_table``, built from pypinyin). Letters and digits
    are kept (lower case); the rest is dropped.
    """
    said = readings(normalise(name))
    return "".join(r[:1] for r in said), "".join(said)


def name_tier(text: str, plain_name: str, by_phone: bool) -> int:
    """Where an advertiser ranks for the normalised query ``text``: 0, their (normalised) name
    starts with it or a number of theirs was asked for; 1, the name holds it; 2, only their
    address or pinyin does."""
    if by_phone or plain_name.startswith(text):
        return 0
    return 1 if text in plain_name else 2


def ad_fields(title: str, body: str) -> tuple[str, str]:
    return normalise(title), normalise(body)


def advertiser_fields(name: str, address: str) -> tuple[str, str, str, str]:
    initials, full = pinyin_forms(name)
    return normalise(name), normalise(address), initials, full


def ad_doc_parts(title: str, body: str) -> tuple[str, str, str]:
    """What an ad's documents need of its text: normalised title and body, gram document."""
    t, b = ad_fields(title or "", body or "")
    return t, b, hex_grams((t, b))


def ad_docs(rows: Sequence[Row]) -> Docs:
    """Index rows for ads given as (id, title, body, category id). Pure: runs in a helper too."""
    return ad_docs_from_parts(
        [(ad_id, *ad_doc_parts(title, body), category) for ad_id, title, body, category in rows]
    )


def ad_docs_from_parts(rows: Sequence[Row]) -> Docs:
    """Index rows for ads given as (id, *``ad_doc_parts``, category id)."""
    text_rows, gram_rows = [], []
    for ad_id, t, b, grams, category in rows:
        if category is None:
            text_rows.append((ad_id, t, b, ""))
        else:
            text_rows.append((ad_id, t, b, category_marker(category)))
            grams = f"{grams} {category_token(category)}"
        gram_rows.append((ad_id, grams))
    return "ad", text_rows, gram_rows


# What an advertiser's documents need of its name and address: normalised name and address,
# pinyin initials and full pinyin, gram document.
AdvParts = tuple[str, str, str, str, str]


def advertiser_doc_parts(name: str, address: str) -> AdvParts:
    fields = advertiser_fields(name, address)
    return (*fields, hex_grams(fields))


def advertiser_docs(rows: Sequence[Row]) -> Docs:
    """Index rows for advertisers given as (id, name, address, …)."""
    return advertiser_docs_from_parts(
        [(row[0], *advertiser_doc_parts(row[1] or "", row[2] or "")) for row in rows]
    )


def advertiser_docs_from_parts(rows: Sequence[Row]) -> Docs:
    """Index rows for advertisers given as (id, *``advertiser_doc_parts``)."""
    return "adv", [r[:5] for r in rows], [(r[0], r[5]) for r in rows]
