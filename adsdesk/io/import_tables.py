"""Check imported rows like typed ads, then save the good ones in one transaction."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, closing
from dataclasses import dataclass, field, replace
from typing import Any

from adsdesk.chunks import chunks
from adsdesk.domain.checks import print_refusals
from adsdesk.domain.splitter import Draft
from adsdesk.domain.wording import Finding
from adsdesk.errors import DeskError
from adsdesk.io.row_checks import (
    Cells,
    Checked,
    DocParts,
    RowFacts,
    check_cells,
    check_piece,
    forget_memos,
    gc_paused,
    split_phone_cell,
    start_worker,
)
from adsdesk.io.tables import FIELDS, Table
from adsdesk.store.ads import AdDraft, PhoneEntry
from adsdesk.store.backend import is_postgres
from adsdesk.store.database import refuse_if_damaged
from adsdesk.store.exchange import CHUNK, BulkSaver, bulk_saver
from adsdesk.store.import_text import CreatedText
from adsdesk.store.search_text import AdvParts
from adsdesk.store.search_text import warm_up as search_warm_up

__all__ = [
    "ImportCancelled",
    "ImportPlan",
    "RowCheck",
    "TableImport",
    "already_booked",
    "check_record",
    "check_table",
    "import_rows",
    "import_table",
    "plan_from_drafts",
    "split_phone_cell",
]

# progress(done, total) -> False to cancel; called every few hundred rows.
Progress = Callable[[int, int], bool | None]
_CHUNK = 2_000  # rows checked between two progress reports
PIPE_CHUNK = 1_000  # rows checked, then saved, at a time by import_table
PARALLEL_FROM = 20_000  # tables this long are checked in several processes
_CHECKED_HERE = 2  # pieces the saving process checks itself while the workers start


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


# --------------------------------------------------------------------------- checking


def _row_check(f: RowFacts) -> RowCheck:
    """A row's verdict as it came back from :func:`check_cells` (here or from a worker)."""
    number, title, body, category, advertiser, phones, printed, days, override, found, reason = f
    return RowCheck(
        row=number,
        title=title,
        body=body,
        category=category,
        advertiser=advertiser,
        phones=tuple(PhoneEntry(e164, display) for e164, display in phones),
        printed=printed,
        dates=tuple(map(dt.date.fromordinal, days)),
        override_reason=override,
        findings=tuple(Finding(*fields) for fields in found) if found else (),
        reason=reason,
    )


def check_record(
    number: int,
    record: Mapping[str, str],
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
    default_dates: Sequence[dt.date] = (),
) -> RowCheck:
    """Check one row: its text like a typed ad, its phone and date cells."""
    cells = tuple(record.get(f, "") for f in FIELDS)
    options = check_options(area_code, refused, categories, default_dates)
    return _row_check(check_cells(number, cells, **options))


def check_options(
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
    default_dates: Sequence[dt.date] = (),
) -> dict[str, Any]:
    """The keyword arguments every row's check takes (``row_checks.check_piece``'s options)."""
    return {
        "area_code": area_code,
        "refused": dict(refused or {}),
        "categories": list(categories) if categories is not None else None,
        "default_dates": tuple(default_dates),
    }


def _workers(workers: int | None, total: int) -> int:
    """Worker processes for a table of ``total`` rows (None: one per CPU for a large one)."""
    if workers is None:
        return (os.cpu_count() or 1) if total >= PARALLEL_FROM else 1
    return workers


def import_workers(total: int, workers: int | None = None) -> int:
    """Check processes :func:`import_table` starts for ``total`` rows; 0: checked in this one.

    ``workers`` None: for PARALLEL_FROM rows or more, one per CPU but the one this process
    saves on (two CPUs: one worker, checking side by side with the saving; one CPU: none); a
    number: that many processes, one meaning this process (as for :func:`check_table`).
    """
    if workers is None:
        return (os.cpu_count() or 1) - 1 if total >= PARALLEL_FROM else 0
    return workers if workers > 1 else 0


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
    records = table.cell_rows()
    options = check_options(area_code, refused, categories, default_dates)
    plan = ImportPlan(source=table.source)
    total = len(records)
    _tick(progress, cancel, 0, total)
    pieces = list(chunks(records, _CHUNK))
    processes = _workers(workers, total)
    with (
        gc_paused(),
        closing(_checked(pieces, options, processes if processes > 1 else 0)) as stream,
    ):
        for checked in stream:
            plan.rows += map(_row_check, checked.facts)
            _tick(progress, cancel, len(plan.rows), total)
    return plan


def _checked(
    pieces: Sequence[Sequence[Cells]],
    options: Mapping[str, Any],
    workers: int,
    docs: bool = False,
    meanwhile: Callable[[], object] | None = None,
    texts: bool = False,
) -> Generator[Checked, None, None]:
    """Each piece checked (see ``check_piece``, which ``docs`` and ``texts`` are for), in
    order: in ``workers`` processes (0: or when no process can be started, or for a single
    piece: in this one). ``meanwhile`` is called while the processes start and check their
    first pieces."""
    done = 0
    try:
        if workers > 0 and len(pieces) > 1:
            try:
                for result in _in_processes(pieces, options, workers, docs, meanwhile, texts):
                    done += 1
                    yield result
                return
            except (BrokenProcessPool, OSError):
                pass  # no worker processes here: check the rest in this process instead
        for piece in pieces[done:]:
            yield check_piece(piece, options, docs, texts)
    finally:
        forget_memos()


def _in_processes(
    pieces: Sequence[Sequence[Cells]],
    options: Mapping[str, Any],
    workers: int,
    docs: bool,
    meanwhile: Callable[[], object] | None = None,
    texts: bool = False,
) -> Generator[Checked, None, None]:
    """Check pieces in worker processes, a few ahead of the one this process waits for.

    Processes are started with "spawn" (safe from the desk's worker thread, and the only way
    on Windows): a script that calls this must guard its top level with
    ``if __name__ == "__main__":`` as usual for multiprocessing. The workers stay at most two
    pieces each ahead, so a slower consumer (the saving) gets the CPU they would idle on.
    While the workers start (a spawned process imports the checks: about half a second) this
    process checks the first pieces itself; at the end it does not wait for them to exit
    (freeing a worker's memos takes most of a second, time the saving can use to commit).
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(pieces)),
        mp_context=context,
        initializer=start_worker,
        initargs=(os.getpid(),),
    )
    ahead: deque[Future[Checked]] = deque()
    here = min(_CHECKED_HERE, len(pieces) - 1)  # at least one piece for the workers
    queued = here

    def top_up() -> None:
        nonlocal queued
        while queued < len(pieces) and len(ahead) < 2 * workers:
            ahead.append(pool.submit(check_piece, pieces[queued], options, docs, texts))
            queued += 1

    try:
        top_up()
        if meanwhile is not None:
            meanwhile()
        for piece in pieces[:here]:
            yield check_piece(piece, options, docs, texts)
        while ahead:
            result = ahead.popleft().result()
            top_up()  # before the consumer saves this piece: the workers stay busy meanwhile
            yield result
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


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


# --------------------------------------------------------------------------- saving


class BookedIndex:
    """Ads already booked, by (date, text) and (date, phone), loaded date by date as rows ask.

    Rows whose text was already booked on one of their dates are repeats (a file imported
    twice would book every ad twice). Ads given to :meth:`ignore` (the import's own) never
    count: the answer is the one the database gave before the import.
    """

    def __init__(self) -> None:
        self._loaded: set[dt.date] = set()
        self._ads: dict[int, Any] = {}  # ad id -> BookedAd, its dates those loaded so far
        self._by_key: dict[tuple[str, str], list[int]] = {}
        self._ignored: set[int] = set()

    def ignore(self, ad_ids: Iterable[int]) -> None:
        self._ignored.update(ad_ids)

    def _load(self, dates: Iterable[dt.date]) -> None:
        from adsdesk.store.ads import booked_on

        new = sorted(set(dates) - self._loaded)
        if not new:
            return
        self._loaded.update(new)
        for ad in booked_on(new):  # each ad with its dates among ``new``
            ad_id = ad.ad_id
            if ad_id is None or ad_id in self._ignored:
                continue
            keys = [f"text:{_plain(ad.title, ad.body)}"] + [f"phone:{p}" for p in ad.phones]
            for day in ad.dates:
                for key in keys:
                    self._by_key.setdefault((day, key), []).append(ad_id)
            known = self._ads.get(ad_id)
            if known is not None:
                ad = replace(known, dates=tuple(sorted({*known.dates, *ad.dates})))
            self._ads[ad_id] = ad

    def repeats(self, rows: Sequence[RowCheck]) -> dict[int, str]:
        """Row number -> why it is already in the paper: the same text booked on one of its
        dates (the earliest such date; the lowest ad id on it)."""
        from adsdesk.domain.duplicates import BookedAd, find_duplicates

        self._load(d for r in rows if r.ok for d in r.dates)
        out: dict[int, str] = {}
        if not self._by_key:
            return out
        for row in rows:
            if not row.ok or not row.dates:
                continue
            days = tuple(d.isoformat() for d in row.dates)
            phones = tuple(p.e164 for p in row.phones)
            match_keys = [f"text:{_plain(row.title, row.body)}"] + [f"phone:{p}" for p in phones]
            candidates = {
                ad_id: self._ads[ad_id]
                for day in days
                for k in match_keys
                for ad_id in self._by_key.get((day, k), ())
                if ad_id not in self._ignored
            }
            if not candidates:
                continue
            mine = BookedAd(ad_id=None, title=row.title, body=row.body, phones=phones, dates=days)
            same = [
                d for d in find_duplicates(mine, candidates.values()) if d.reason == "same_text"
            ]
            if same:
                first = min(same, key=lambda d: (d.date, d.other_id or 0))
                out[row.row] = f"{first.date} 已登过同样内容的广告 #{first.other_id}"
        return out


def already_booked(rows: Sequence[RowCheck]) -> dict[int, str]:
    """Row number -> why it is already in the paper: the same text booked on one of its dates.

    A file imported twice would book every ad twice; this finds those rows before saving.
    Candidates come from an index by (date, phone) and (date, text), so a big file is cheap.
    """
    return BookedIndex().repeats(rows)


def _plain(title: str, body: str) -> str:
    return re.sub(r"\s+", "", f"{title}{body}")


def _save(
    saver: BulkSaver, rows: Sequence[RowCheck], docs: Sequence[DocParts | None] | None = None
) -> list[int]:
    """Save good rows (their advertisers found by name, a new name made one new advertiser)."""
    names = saver.advertisers(r.advertiser for r in rows if r.advertiser)
    drafts = [r.draft(names.get(r.advertiser)) for r in rows]
    if docs is None:
        return saver.add(drafts)
    return saver.add(drafts, [d for d in docs if d is not None])


def _save_new(
    saver: BulkSaver,
    rows: Sequence[RowCheck],
    docs: Sequence[DocParts | None] | None,
    prepared: Mapping[str, AdvParts] | None = None,
    texts: Sequence[CreatedText | None] | None = None,
) -> list[int]:
    """:func:`_save` by :meth:`BulkSaver.add_new`: the same rows, with less work per row;
    ``prepared`` and ``texts``: the advertisers' search documents and the rows' audit texts,
    when the checks prepared them."""
    names = saver.advertisers((r.advertiser for r in rows if r.advertiser), prepared)
    ads = [
        (
            r.category,
            names[r.advertiser] if r.advertiser else None,
            r.title,
            r.body,
            r.override_reason,
            r.phones,
            r.dates,
        )
        for r in rows
    ]
    return saver.add_new(
        ads,
        None if docs is None else [d for d in docs if d is not None],
        None if texts is None else [t for t in texts if t is not None],
    )


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
    if index_workers is None:
        index_workers = 1 if total >= PARALLEL_FROM else 0
    ids: list[int] = []
    with gc_paused(), bulk_saver(index_workers) as saver:
        _tick(progress, cancel, 0, total)
        for batch in chunks(rows, CHUNK):
            ids += _save(saver, batch)
            _tick(progress, cancel, len(ids), total)
    return ids


@dataclass
class TableImport:
    """What :func:`import_table` did: every row checked, the ids saved, the repeats found."""

    plan: ImportPlan
    ids: list[int]
    repeats: dict[int, str]  # row number -> why it is already booked (see already_booked)
    refused_all: bool  # some row was refused and skip_bad was not given: nothing saved


class _NothingSaved(Exception):
    """A row was refused after others were saved: roll them back."""


def import_table(
    table: Table,
    *,
    area_code: str,
    refused: Mapping[str, str] | None = None,
    categories: Sequence[str] | None = None,
    default_dates: Sequence[dt.date] = (),
    save: bool = True,
    skip_bad: bool = False,
    again: bool = False,
    find_repeats: bool = True,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
) -> TableImport:
    """Check every row and save the good ones in one pass and ONE transaction: worker
    processes check the next rows while this one saves those already checked.

    The outcome is that of :func:`check_table`, :func:`already_booked` and :func:`import_rows`
    one after the other: rows booked before with the same text on the same day are not saved
    unless ``again``; when a row is refused nothing is saved unless ``skip_bad``; ``save``
    False only checks (and looks for repeats when ``find_repeats``). A cancellation or an
    error leaves the database as it was.
    """
    records = table.cell_rows()
    total = len(records)
    options = check_options(area_code, refused, categories, default_dates)
    plan = ImportPlan(source=table.source)
    ids: list[int] = []
    repeats: dict[int, str] = {}
    booked = BookedIndex() if find_repeats else None
    pieces = list(chunks(records, PIPE_CHUNK))
    _tick(progress, cancel, 0, total)
    saving = save
    docs_here = save and not is_postgres()  # PostgreSQL's triggers build the documents
    processes = import_workers(total, workers)
    # With two check workers or more the saving is the slower side: they take more of its work.
    texts_here = docs_here and processes >= 2
    try:
        with ExitStack() as stack:
            stack.enter_context(gc_paused())
            # The saving's one slow start (loading the pinyin tables for the advertisers'
            # documents) is done while the workers start.
            warm_up = search_warm_up if docs_here else None
            checking = _checked(pieces, options, processes, docs_here, warm_up, texts_here)
            stream = stack.enter_context(closing(checking))
            saver: BulkSaver | None = None
            prepared: dict[str, AdvParts] = {}  # advertisers' search documents, by name
            for checked in stream:
                prepared.update(checked.names)
                docs, texts = checked.docs, checked.texts
                rows = [_row_check(f) for f in checked.facts]
                plan.rows += rows
                if booked is not None:
                    repeats.update(booked.repeats(rows))
                if saving and not skip_bad and not all(r.ok for r in rows):
                    saving = False  # refused: nothing is saved (what went in is rolled back)
                if saving:
                    none = [None] * len(rows)
                    chosen = [
                        (r, d, t)
                        for r, d, t in zip(rows, docs or none, texts or none, strict=True)
                        if r.ok and (again or r.row not in repeats)
                    ]
                    if chosen:
                        if saver is None:
                            refuse_if_damaged()  # a damaged file must not take more rows
                            saver = stack.enter_context(bulk_saver())
                        good = [r for r, _, _ in chosen]
                        new = _save_new(
                            saver,
                            good,
                            [d for _, d, _ in chosen] if docs_here else None,
                            prepared,
                            [t for _, _, t in chosen] if texts_here else None,
                        )
                        ids += new
                        if booked is not None:
                            booked.ignore(new)
                _tick(progress, cancel, len(plan.rows), total)
            if save and not saving and saver is not None:
                raise _NothingSaved()  # leaving the block rolls the transaction back
    except _NothingSaved:
        ids = []
    return TableImport(plan, ids, repeats, bool(plan.rejected) and not skip_bad)


def _tick(progress: Progress | None, cancel: threading.Event | None, done: int, total: int) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled()
    if progress is not None and progress(done, total) is False:
        raise ImportCancelled()
