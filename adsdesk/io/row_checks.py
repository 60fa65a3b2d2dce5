"""One imported row checked like a typed ad: pure and light, so import workers can run it.

The import's worker processes (started with "spawn", as on Windows) import only this module,
the domain rules and the search index's text functions: no database, no Qt. A row's verdict
travels back as :data:`RowFacts`, a plain tuple that pickles quickly; ``import_tables`` turns
it into a ``RowCheck``.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from adsdesk.domain.checks import AdCheck, ad_text, check_text, print_refusals
from adsdesk.domain.dates import parse_dates
from adsdesk.domain.phone_check import check_phone
from adsdesk.domain.splitter import guess_category
from adsdesk.domain.wording import Finding
from adsdesk.store.import_text import CreatedText, created_text
from adsdesk.store.search_text import AdvParts, ad_doc_parts, advertiser_doc_parts

_PHONE_SPLIT = re.compile(r"[,;、，；/\n]+")

# (row, title, body, category, advertiser, phones as (e164, display) pairs, printed,
#  dates as ordinals, override reason, findings as field tuples, reason): RowCheck's fields.
RowFacts = tuple[
    int,
    str,
    str,
    str,
    str,
    tuple[tuple[str, str], ...],
    tuple[str, ...],
    tuple[int, ...],
    str,
    tuple[tuple[Any, ...], ...],
    str,
]
# What the search index needs of a good row's text (store.search_text.ad_doc_parts).
DocParts = tuple[str, str, str]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a large import builds many long-lived objects:
    each full collection walks them all again (about a second per 100,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def start_worker(parent_pid: int) -> None:
    """Run first in each worker process: end with the parent (see lifeline), and no cyclic
    garbage collection (the checks make no cycles; collections would walk the memos again and
    again)."""
    from adsdesk.lifeline import die_with_parent

    die_with_parent(parent_pid)
    gc.disable()


def split_phone_cell(cell: str, area_code: str) -> list[str]:
    """Numbers in a phone cell, separated by , ; 、 / or spaces (a spaced-out number stays whole)."""
    out: list[str] = []
    for part in _PHONE_SPLIT.split(cell):
        part = part.strip()
        if not part:
            continue
        if " " in part and not check_phone(part, area_code).valid:
            out += part.split()
        else:
            out.append(part)
    return out


# Import files repeat texts (the same advertiser's ad booked again, standard notices): within
# one import the checks of a text are done once. Memos are per (area code, refuse list).
Memo = dict[tuple[str, str | None], AdCheck]
_MEMOS: dict[tuple[object, ...], Memo] = {}
_MEMO_SIZE = 50_000


def memo_for(options: Mapping[str, Any]) -> Memo:
    """The text-check memo of the import these options belong to (one import at a time)."""
    refused = options.get("refused") or {}
    key = (options["area_code"], tuple(sorted(refused.items())))
    memo = _MEMOS.get(key)
    if memo is None:
        _MEMOS.clear()  # one import at a time: keep only the current one's
        memo = _MEMOS[key] = {}
    elif len(memo) >= _MEMO_SIZE:
        memo.clear()
    return memo


def forget_memos() -> None:
    """Drop the memos (an import has ended)."""
    _MEMOS.clear()
    _DATE_CELLS.clear()
    _NAMES_SENT.clear()


# Advertiser names whose search documents this process has handed to the saving process
# already (built once per process, sent with the first good row naming them).
_NAMES_SENT: set[str] = set()


def check_cells(
    number: int,
    cells: Sequence[str],
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
    default_dates: Sequence[dt.date] = (),
    memo: Memo | None = None,
) -> RowFacts:
    """Check one row, given as its cells in ``tables.FIELDS`` order: its text like a typed ad,
    its phone and date cells."""
    title, body, phone_cell, category, advertiser, date_cell, override = cells
    title = title.strip()
    body = body.strip()
    category = category.strip() or guess_category(title, body, categories)
    override = override.strip()
    problems: list[str] = []
    if not title and not body:
        problems.append("没有标题也没有正文")

    text = ad_text(title, body)
    key = (text, category or None)
    check = memo.get(key) if memo is not None else None
    if check is None:
        check = check_text(text, category or None, area_code, refused)
        if memo is not None:
            memo[key] = check  # only read here: sharing it is safe
    phones: list[tuple[str, str]] = []
    printed: list[str] = []
    seen: set[str] = set()
    if phone_cell:
        for raw in split_phone_cell(phone_cell, area_code):
            verdict = check_phone(raw, area_code)
            if not verdict.valid:
                problems.append(f"电话 {raw} 有误：{verdict.reason}")
                printed.append(raw)
                continue
            if verdict.e164 and refused and verdict.e164 in refused:
                problems.append(f"号码 {verdict.display} 在本报拒登名单上")
            if verdict.e164 and verdict.e164 not in seen:
                seen.add(verdict.e164)
                phones.append((verdict.e164, verdict.display))
                printed.append(verdict.display)
    for m in check.phones:
        c = m.check
        if c.valid and c.e164 and c.e164 not in seen:
            seen.add(c.e164)
            phones.append((c.e164, c.display))
            printed.append(c.display)
        elif not c.valid and m.text not in printed:
            printed.append(m.text)

    blocked = print_refusals(check.findings, override)
    if blocked:
        said = {p.split("。")[0] for p in problems}
        for message in blocked:  # a number in both the phone cell and the text: say it once
            if message.split("。")[0] not in said:
                said.add(message.split("。")[0])
                problems.append(message.rstrip("。"))

    days, bad_dates = _dates(date_cell)
    for piece in bad_dates:
        problems.append(f"刊登日期“{piece}”看不懂，应写成 2023-02-24 这样")
    if not days and not bad_dates:
        days = tuple(sorted({d.toordinal() for d in default_dates}))

    return (
        number,
        title,
        body,
        category,
        advertiser.strip(),
        tuple(phones),
        tuple(printed),
        days,
        override,
        tuple(map(_finding_fields, check.findings)) if check.findings else (),
        "；".join(problems) + "。" if problems else "",
    )


_DATE_CELLS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}


def _dates(cell: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """A date cell as (its dates as sorted distinct ordinals, the pieces not understood);
    remembered, as files book the same few thousand days over and over."""
    found = _DATE_CELLS.get(cell)
    if found is None:
        if len(_DATE_CELLS) >= _MEMO_SIZE:
            _DATE_CELLS.clear()
        dates, bad = parse_dates(cell)
        found = _DATE_CELLS[cell] = (tuple(sorted({d.toordinal() for d in dates})), tuple(bad))
    return found


def _finding_fields(f: Finding) -> tuple[Any, ...]:
    return (f.rule, f.level, f.start, f.end, f.message, f.term)


# A row as sent to a worker: (row number, its cells in ``tables.FIELDS`` order); a tuple of
# strings pickles in a fraction of the time a dict per row takes.
Cells = tuple[int, tuple[str, ...]]


class Checked(NamedTuple):
    """Rows checked by :func:`check_piece`, with what it prepared for the saving process."""

    facts: list[RowFacts]
    docs: list[DocParts | None]  # each good row's search documents (None: a refused row)
    names: dict[str, AdvParts]  # advertisers' search documents, by a name not sent before
    texts: list[CreatedText | None]  # each good row's audit text (see import_text)


def check_piece(
    piece: Sequence[Cells],
    options: Mapping[str, Any],
    docs: bool = False,
    texts: bool = False,
) -> Checked:
    """Check consecutive rows; with ``docs``, also prepare each good row's search documents,
    so the saving process need not; with ``texts`` too, the search documents of the
    advertisers they name and their audit texts (worth sending where the saving is the
    slower side: with two check workers or more)."""
    memo = memo_for(options)
    with gc_paused():  # the memo holds many checks
        facts = [check_cells(number, cells, memo=memo, **options) for number, cells in piece]
        if not docs:
            return Checked(facts, [], {}, [])
        parts = [None if f[10] else ad_doc_parts(f[1], f[2]) for f in facts]
        if not texts:
            return Checked(facts, parts, {}, [])
        names: dict[str, AdvParts] = {}
        for f in facts:
            name = f[4]
            if name and not f[10] and name not in _NAMES_SENT:
                _NAMES_SENT.add(name)
                names[name] = advertiser_doc_parts(name, "")  # a new advertiser has no address
        return Checked(facts, parts, names, [None if f[10] else _created_text(f) for f in facts])


def _created_text(f: RowFacts) -> CreatedText:
    days = [dt.date.fromordinal(day).isoformat() for day in f[7]]
    return created_text(f[3], f[1], f[2], [display for _, display in f[5]], days, f[8])
