"""Check imported rows like typed ads, then save the good ones in one transaction."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from adsdesk.chunks import chunks
from adsdesk.domain.checks import AdCheck, ad_text, check_text, print_refusals
from adsdesk.domain.dates import parse_dates
from adsdesk.domain.phone_check import check_phone
from adsdesk.domain.splitter import Draft, guess_category
from adsdesk.domain.wording import Finding
from adsdesk.errors import DeskError
from adsdesk.io.tables import Table
from adsdesk.lifeline import pool_args
from adsdesk.store.ads import AdDraft, PhoneEntry
from adsdesk.store.database import refuse_if_damaged
from adsdesk.store.exchange import (
    BulkCancelled,
    advertiser_ids_by_name,
    create_advertisers,
    save_many,
)
from adsdesk.store.models import db

# progress(done, total) -> False to cancel; called every few hundred rows.
Progress = Callable[[int, int], bool | None]
_CHUNK = 2_000  # rows checked between two progress reports
PARALLEL_FROM = 20_000  # tables this long are checked in several processes

_PHONE_SPLIT = re.compile(r"[,;、，；/\n]+")


class ImportCancelled(DeskError):
    """Raised when the clerk cancels; the transaction is rolled back, nothing is kept."""

    def __init__(self) -> None:
        super().__init__("导入已取消，数据库没有任何改动。")


@dataclass(frozen=True)
class RowCheck:
    """One row (or pasted draft) checked like a typed ad; ``reason`` says why it is refused."""

    row: int
    title: str
    body: str
    category: str
    advertiser: str
    phones: tuple[PhoneEntry, ...]  # what will be saved: valid numbers, each once
    printed: tuple[str, ...]  # every number as printed (valid) or as written (invalid)
    dates: tuple[dt.date, ...]
    override_reason: str
    findings: tuple[Finding, ...]
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warn"]

    def as_dict(self) -> dict[str, object]:
        """The draft as the import command prints it."""
        return {
            "title": self.title,
            "body": self.body,
            "phones": list(self.printed),
            "category": self.category,
            "problems": [f.as_dict() for f in self.findings],
        }

    def draft(self, advertiser_id: int | None = None) -> AdDraft:
        return AdDraft(
            category=self.category,
            title=self.title,
            body=self.body,
            phones=list(self.phones),
            advertiser_id=advertiser_id,
            advertiser_name="" if advertiser_id is not None else self.advertiser,
            dates=list(self.dates),
            override_reason=self.override_reason,
        )


@dataclass
class ImportPlan:
    """Every row of a file, checked; what an import would save and what it refuses."""

    rows: list[RowCheck] = field(default_factory=list)
    source: str = ""

    @property
    def good(self) -> list[RowCheck]:
        return [r for r in self.rows if r.ok]

    @property
    def rejected(self) -> list[RowCheck]:
        return [r for r in self.rows if not r.ok]

    def rejected_dicts(self) -> list[dict[str, object]]:
        return [{"row": r.row, "reason": r.reason} for r in self.rejected]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a large import builds many long-lived objects:
    each full collection walks them all again (about a second per 100,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --------------------------------------------------------------------------- checking


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
_Memo = dict[tuple[str, str | None], AdCheck]
_MEMOS: dict[tuple[object, ...], _Memo] = {}
_MEMO_SIZE = 50_000


def _memo_for(options: Mapping[str, Any]) -> _Memo:
    refused = options.get("refused") or {}
    key = (options["area_code"], tuple(sorted(refused.items())))
    memo = _MEMOS.get(key)
    if memo is None:
        _MEMOS.clear()  # one import at a time: keep only the current one's
        memo = _MEMOS[key] = {}
    elif len(memo) >= _MEMO_SIZE:
        memo.clear()
    return memo


def check_record(
    number: int,
    record: Mapping[str, str],
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
    default_dates: Sequence[dt.date] = (),
    memo: _Memo | None = None,
) -> RowCheck:
    """Check one row: its text like a typed ad, its phone and date cells."""
    title = record.get("title", "").strip()
    body = record.get("body", "").strip()
    category = record.get("category", "").strip() or guess_category(title, body, categories)
    override = record.get("override_reason", "").strip()
    problems: list[str] = []
    if not title and not body:
        problems.append("没有标题也没有正文")

    text = ad_text(title, body)
    key = (text, category or None)
    check = memo.get(key) if memo is not None else None
    if check is None:
        check = check_text(text, category or None, area_code, refused)
        if memo is not None:
            memo[key] = check  # check_record only reads an AdCheck: sharing it is safe
    findings = list(check.findings)
    phones: list[PhoneEntry] = []
    printed: list[str] = []
    seen: set[str] = set()
    for raw in split_phone_cell(record.get("phones", ""), area_code):
        verdict = check_phone(raw, area_code)
        if not verdict.valid:
            problems.append(f"电话 {raw} 有误：{verdict.reason}")
            printed.append(raw)
            continue
        if verdict.e164 and refused and verdict.e164 in refused:
            problems.append(f"号码 {verdict.display} 在本报拒登名单上")
        if verdict.e164 and verdict.e164 not in seen:
            seen.add(verdict.e164)
            phones.append(PhoneEntry(verdict.e164, verdict.display))
            printed.append(verdict.display)
    for m in check.phones:
        c = m.check
        if c.valid and c.e164 and c.e164 not in seen:
            seen.add(c.e164)
            phones.append(PhoneEntry(c.e164, c.display))
            printed.append(c.display)
        elif not c.valid and m.text not in printed:
            printed.append(m.text)

    blocked = print_refusals(findings, override)
    if blocked:
        said = {p.split("。")[0] for p in problems}
        for message in blocked:  # a number in both the phone cell and the text: say it once
            if message.split("。")[0] not in said:
                said.add(message.split("。")[0])
                problems.append(message.rstrip("。"))

    dates, bad_dates = parse_dates(record.get("dates", ""))
    for piece in bad_dates:
        problems.append(f"刊登日期“{piece}”看不懂，应写成 2023-02-24 这样")
    if not dates and not bad_dates:
        dates = list(default_dates)

    return RowCheck(
        row=number,
        title=title,
        body=body,
        category=category,
        advertiser=record.get("advertiser", "").strip(),
        phones=tuple(phones),
        printed=tuple(printed),
        dates=tuple(sorted(set(dates))),
        override_reason=override,
        findings=tuple(findings),
        reason="；".join(problems) + "。" if problems else "",
    )


def check_table(
    table: Table,
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
    default_dates: Sequence[dt.date] = (),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
) -> ImportPlan:
    """Check every row of a table; cancellable between chunks (raises ImportCancelled).

    The checks are pure and CPU-bound: a large table is checked in several processes
    (``workers`` None picks one per CPU for tables of PARALLEL_FROM rows or more).
    """
    records = table.records()
    options = {
        "area_code": area_code,
        "refused": dict(refused or {}),
        "categories": list(categories) if categories is not None else None,
        "default_dates": tuple(default_dates),
    }
    plan = ImportPlan(source=table.source)
    total = len(records)
    _tick(progress, cancel, 0, total)
    if workers is None:
        workers = (os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
    pieces = list(chunks(records, _CHUNK))
    try:
        with _gc_paused():
            if workers > 1 and len(pieces) > 1:
                try:
                    return _check_in_processes(plan, pieces, options, workers, progress, cancel)
                except (BrokenProcessPool, OSError):
                    plan.rows.clear()  # no worker processes here: check in this process instead
            for piece in pieces:
                plan.rows += _check_chunk(piece, options)
                _tick(progress, cancel, len(plan.rows), total)
            return plan
    finally:
        _MEMOS.clear()


def _check_in_processes(
    plan: ImportPlan,
    pieces: Sequence[Sequence[tuple[int, dict[str, str]]]],
    options: Mapping[str, Any],
    workers: int,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> ImportPlan:
    """Check chunks in worker processes, collecting results in order.

    Processes are started with "spawn" (safe from the desk's worker thread, and the only way
    on Windows): a script that calls this must guard its top level with
    ``if __name__ == "__main__":`` as usual for multiprocessing.
    """
    total = sum(len(c) for c in pieces)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(pieces)), mp_context=context, **pool_args()
    ) as pool:
        futures = [pool.submit(_check_chunk, piece, options) for piece in pieces]
        try:
            for future in futures:
                plan.rows += future.result()
                _tick(progress, cancel, len(plan.rows), total)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return plan


def _check_chunk(
    chunk: Sequence[tuple[int, Mapping[str, str]]], options: Mapping[str, Any]
) -> list[RowCheck]:
    memo = _memo_for(options)
    with _gc_paused():  # also in the worker processes, whose memo holds many checks
        return [check_record(number, record, memo=memo, **options) for number, record in chunk]


def plan_from_drafts(
    drafts: Sequence[Draft], dates: Sequence[dt.date] = (), source: str = ""
) -> ImportPlan:
    """Split drafts as import rows (numbered from 1): blocked drafts are refused."""
    plan = ImportPlan(source=source)
    for number, d in enumerate(drafts, start=1):
        blocked = [m.rstrip("。") for m in print_refusals(d.findings)]
        if not d.title and not d.body:
            blocked.insert(0, "没有标题也没有正文")
        phones: list[PhoneEntry] = []
        seen: set[str] = set()
        for m in d.phones:
            if m.check.valid and m.check.e164 and m.check.e164 not in seen:
                seen.add(m.check.e164)
                phones.append(PhoneEntry(m.check.e164, m.check.display))
        plan.rows.append(
            RowCheck(
                row=number,
                title=d.title,
                body=d.body,
                category=d.category,
                advertiser="",
                phones=tuple(phones),
                printed=tuple(d.printed_phones()),
                dates=tuple(sorted(set(dates))),
                override_reason="",
                findings=tuple(d.findings),
                reason="；".join(blocked) + "。" if blocked else "",
            )
        )
    return plan


def _tick(progress: Progress | None, cancel: threading.Event | None, done: int, total: int) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()
    if progress is not None and progress(done, total) is False:
        raise ImportCancelled()


# --------------------------------------------------------------------------- saving


def already_booked(rows: Sequence[RowCheck]) -> dict[int, str]:
    """Row number -> why it is already in the paper: the same text booked on one of its dates.

    A file imported twice would book every ad twice; this finds those rows before saving.
    Candidates come from an index by (date, phone) and (date, text), so a big file is cheap.
    """
    from adsdesk.domain.duplicates import BookedAd, find_duplicates
    from adsdesk.store.ads import booked_on

    dates = sorted({d for r in rows if r.ok for d in r.dates})
    if not dates:
        return {}
    booked = booked_on(dates)
    by_key: dict[tuple[str, str], list[BookedAd]] = {}
    for ad in booked:
        keys = [("text", _plain(ad.title, ad.body))] + [("phone", p) for p in ad.phones]
        for day in ad.dates:
            for kind, value in keys:
                by_key.setdefault((day, f"{kind}:{value}"), []).append(ad)
    out: dict[int, str] = {}
    for row in rows:
        if not row.ok or not row.dates:
            continue
        mine = BookedAd(
            ad_id=None,
            title=row.title,
            body=row.body,
            phones=tuple(p.e164 for p in row.phones),
            dates=tuple(d.isoformat() for d in row.dates),
        )
        match_keys = [f"text:{_plain(row.title, row.body)}"] + [f"phone:{p}" for p in mine.phones]
        candidates = {
            id(ad): ad for day in mine.dates for k in match_keys for ad in by_key.get((day, k), [])
        }
        same = [d for d in find_duplicates(mine, candidates.values()) if d.reason == "same_text"]
        if same:
            first = same[0]
            out[row.row] = f"{first.date} 已登过同样内容的广告 #{first.other_id}"
    return out


def _plain(title: str, body: str) -> str:
    return re.sub(r"\s+", "", f"{title}{body}")


def import_rows(
    rows: Sequence[RowCheck],
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    index_workers: int | None = None,
) -> list[int]:
    """Save the rows as new ads in ONE transaction; returns their ids.

    ``index_workers`` helper processes build the search-index documents (None: one for
    PARALLEL_FROM rows or more, else none).

    Advertisers are found by name (a new name becomes one new advertiser, shared by all its
    rows). A refused row, an error half-way or a cancellation leaves the database as it was.
    """
    refused = [r for r in rows if not r.ok]
    if refused:
        raise ValueError(f"第 {refused[0].row} 行有问题，不能导入：{refused[0].reason}")
    refuse_if_damaged()  # a damaged file must not take a thousand more rows
    total = len(rows)

    def step(done: int) -> bool:
        try:
            _tick(progress, cancel, done, total)
        except ImportCancelled:
            return False
        return True

    try:
        with _gc_paused(), db.atomic():
            _tick(progress, cancel, 0, total)
            names = [r.advertiser for r in rows if r.advertiser]
            ids_by_name = advertiser_ids_by_name(names)
            ids_by_name.update(create_advertisers([n for n in names if n not in ids_by_name]))
            drafts = [r.draft(ids_by_name.get(r.advertiser)) for r in rows]
            if index_workers is None:
                index_workers = 1 if total >= PARALLEL_FROM else 0
            return save_many(drafts, step, index_workers=index_workers)
    except BulkCancelled as exc:
        raise ImportCancelled() from exc
