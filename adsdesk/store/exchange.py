"""Bulk reads and writes for import and export: many new ads at once, whole tables out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from peewee import JOIN, Model, SqliteDatabase, fn

from adsdesk.chunks import chunks
from adsdesk.domain.dates import as_date, optional_date
from adsdesk.errors import DeskError
from adsdesk.store.actor import CLERK
from adsdesk.store.ads import AdDraft
from adsdesk.store.advertisers import AdvertiserNotFound
from adsdesk.store.audit import Change, diff, record_many
from adsdesk.store.backend import is_postgres
from adsdesk.store.models import (
    Ad,
    AdPhone,
    Advertiser,
    AdvertiserPhone,
    BaseModel,
    Category,
    Insertion,
    db,
)
from adsdesk.store.rows import tuples
from adsdesk.store.search_backend import sync as sync_index
from adsdesk.store.search_bulk import NewRowsIndexer, triggers_suspended
from adsdesk.store.settings import category_id
from adsdesk.store.users import require

CHUNK = 500

# Called after each chunk with the number of ads saved so far; False stops (the caller's
# transaction is then rolled back by the exception raised).
Progress = Callable[[int], bool | None]


class BulkCancelled(DeskError):
    """The clerk cancelled the import: nothing of it is kept."""

    def __init__(self) -> None:
        super().__init__("导入已取消，数据库没有任何改动。")


def advertiser_ids_by_name(names: Iterable[str]) -> dict[str, int]:
    """Existing advertisers by exact name (the oldest one when a name is used twice)."""
    wanted = sorted({n.strip() for n in names if n.strip()})
    found: dict[str, int] = {}
    for chunk in chunks(wanted, CHUNK):
        # Plain SQL: peewee builds one expression node per name, slow for 100,000 names.
        marks = ", ".join(db.obj.param for _ in chunk)
        table = Advertiser._meta.table_name
        sql = f'SELECT "id", "name" FROM "{table}" WHERE "name" IN ({marks}) ORDER BY "id" DESC'
        for adv_id, name in db.execute_sql(sql, chunk).fetchall():
            found[name] = int(adv_id)
    return found


def create_advertisers(names: Sequence[str]) -> dict[str, int]:
    """Create one advertiser per distinct name; returns name -> id."""
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    if not wanted:
        return {}
    now = dt.datetime.now().replace(microsecond=0)
    stamp = _sql_value(now)
    rows = [{"name": n, "address": "", "note": "", "created_at": stamp} for n in wanted]
    ids = _insert_with_ids(Advertiser, rows)
    return dict(zip(wanted, ids, strict=True))


def _insert_with_ids(model: type[BaseModel], rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows and return their ids, in order (inside a transaction).

    SQLite: the first row goes in through peewee, which takes SQLite's write lock and gives
    the next free id; the others follow on with the ids after it in one ``executemany``.
    PostgreSQL (other desks insert meanwhile): one multi-row INSERT … RETURNING id.
    """
    if not rows:
        return []
    if is_postgres():
        ids: list[int] = []
        for start in range(0, len(rows), CHUNK):
            returned = model.insert_many(rows[start : start + CHUNK]).returning(model.id)
            ids += [int(r.id) for r in returned.execute()]
        return ids
    first = int(model.insert(rows[0]).execute())
    ids = list(range(first, first + len(rows)))
    if len(rows) > 1:
        names = ["id", *rows[0]]
        values = [(i, *row.values()) for i, row in zip(ids[1:], rows[1:], strict=True)]
        _execute_many(model, names, values)
    return ids


def _sql_value(value: object) -> object:
    """Dates as the sqlite3 module stores them (ISO text), everything else unchanged."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _execute_many(model: type[Model], names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """One prepared INSERT over all rows, whose values are already as SQLite stores them."""
    if not rows:
        return
    columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
    if is_postgres():
        from psycopg2.extras import execute_values

        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES %s'
        execute_values(db.cursor(), sql, rows, page_size=CHUNK)
        return
    marks = ", ".join("?" for _ in names)
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
    db.cursor().executemany(sql, rows)


def save_many(
    drafts: Sequence[AdDraft], progress: Progress | None = None, index_workers: int = 0
) -> list[int]:
    """Save new ads (``id`` None) exactly as ``save_ad`` would, in one transaction.

    ``index_workers`` > 0 builds the search-index documents in that many helper processes.

    The rows go in with multi-row INSERTs (ads, phones, advertiser phones, insertions).
    SQLite suspends the index triggers and indexes the new rows in one pass; PostgreSQL
    keeps its triggers (other desks are writing) and builds the documents at the end.
    Raises BulkCancelled when ``progress`` returns False; the whole batch is then rolled back.
    """
    if any(d.id is not None for d in drafts):
        raise ValueError("save_many only adds new ads")
    require(CLERK, "导入广告")
    with db.atomic():
        if isinstance(db.obj, SqliteDatabase):
            # The rows are new: no per-row trigger upkeep; their index documents are built
            # (in helper processes with index_workers) while the next chunks go in. The
            # triggers come back in this transaction (and with its rollback).
            with _big_cache(), NewRowsIndexer(workers=index_workers) as indexer:
                indexer.pending_advertisers()  # created just before, e.g. by import_rows
                with triggers_suspended():
                    ids = _insert_rows(drafts, progress, indexer)
                indexer.finish()
        else:
            ids = _insert_rows(drafts, progress, _TriggersIndex())
        sync_index()  # the search index takes the new ads in the same transaction
    return ids


@contextmanager
def _big_cache(kib: int = 65536) -> Iterator[None]:
    """A larger page cache while many rows go in: the indexes grow without spilling."""
    (before,) = db.execute_sql("PRAGMA cache_size").fetchone()
    db.execute_sql(f"PRAGMA cache_size = {-abs(kib)}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(before)}")


class _TriggersIndex:
    """PostgreSQL keeps its index triggers on during a bulk load: nothing to hand over."""

    def by_id(self, table: str, ids: Sequence[int]) -> None:
        pass

    def ads(self, rows: Sequence[tuple[Any, ...]]) -> None:
        pass

    def search_ad(self, rows: Sequence[tuple[Any, ...]]) -> None:
        pass


def _insert_rows(
    drafts: Sequence[AdDraft], progress: Progress | None, indexer: NewRowsIndexer | _TriggersIndex
) -> list[int]:
    """Insert the drafts; ``indexer`` takes the new ads and advertisers (SQLite, triggers
    suspended) or nothing (PostgreSQL, triggers on)."""
    categories: dict[str, int | None] = {}
    known_adv = sorted({a for d in drafts if (a := d.advertiser_id) is not None})
    present: set[int] = set()
    linked: dict[int, set[str]] = defaultdict(set)
    # Plain SQL in chunks: peewee builds one expression node per id, slow for 20,000 ids.
    adv_table, phone_table = Advertiser._meta.table_name, AdvertiserPhone._meta.table_name
    adv_column = AdvertiserPhone.advertiser.column_name
    for chunk in chunks(known_adv, CHUNK):
        marks = ", ".join(db.obj.param for _ in chunk)
        present.update(
            int(r[0])
            for r in db.execute_sql(
                f'SELECT "id" FROM "{adv_table}" WHERE "id" IN ({marks})', chunk
            ).fetchall()
        )
        for adv, e164 in db.execute_sql(
            f'SELECT "{adv_column}", "e164" FROM "{phone_table}" WHERE "{adv_column}" IN ({marks})',
            chunk,
        ).fetchall():
            linked[adv].add(e164)
    missing = [a for a in known_adv if a not in present]
    if missing:
        raise AdvertiserNotFound(f"客户 #{missing[0]} 不存在")

    now = dt.datetime.now().replace(microsecond=0)
    stamp = _sql_value(now)
    ids: list[int] = []
    days: dict[object, str] = {}  # date -> as stored: import files book the same days often
    for batch in chunks(drafts, CHUNK):
        ad_rows: list[dict[str, Any]] = []
        for draft in batch:
            cat = draft.category.strip()
            if cat not in categories:
                categories[cat] = category_id(cat)
            adv = draft.advertiser_id
            if adv is None and draft.advertiser_name.strip():
                adv = int(Advertiser.insert(name=draft.advertiser_name.strip()).execute())
                indexer.by_id("advertiser", [adv])
            ad_rows.append(
                {
                    "category": categories[cat],
                    "advertiser": adv,
                    "title": draft.title,
                    "body": draft.body,
                    "override_reason": draft.override_reason,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        chunk_ids = _insert_with_ids(Ad, ad_rows)
        ids += chunk_ids
        indexer.ads(
            [
                (ad_id, row["title"], row["body"], row["category"])
                for ad_id, row in zip(chunk_ids, ad_rows, strict=True)
            ]
        )
        phone_rows: list[tuple[Any, ...]] = []
        adv_phone_rows: list[tuple[Any, ...]] = []
        insertion_rows: list[tuple[Any, ...]] = []
        search_rows: list[tuple[Any, ...]] = []
        for ad_id, draft, row in zip(chunk_ids, batch, ad_rows, strict=True):
            adv = row["advertiser"]
            for position, phone in enumerate(draft.phones):
                phone_rows.append((ad_id, phone.e164, phone.display, position))
                if adv is not None and phone.e164 not in linked[adv]:
                    linked[adv].add(phone.e164)
                    adv_phone_rows.append((adv, phone.e164, phone.display))
            booked: list[str] = []  # ISO dates, as stored
            for d in sorted(set(draft.dates)):
                day = days.get(d)
                if day is None:
                    day = days[d] = str(_sql_value(d))
                insertion_rows.append((ad_id, day, stamp))
                booked.append(day)
            search_rows.append(
                (ad_id, row["category"], adv, min(booked, default=None), max(booked, default=None))
            )
        _execute_many(AdPhone, ["ad", "e164", "display", "position"], phone_rows)
        _execute_many(AdvertiserPhone, ["advertiser", "e164", "display"], adv_phone_rows)
        _execute_many(Insertion, ["ad", "date", "created_at"], insertion_rows)
        indexer.search_ad(search_rows)
        record_many([_created(ad_id, draft) for ad_id, draft in zip(chunk_ids, batch, strict=True)])
        if progress is not None and progress(len(ids)) is False:
            raise BulkCancelled()
    return ids


def _created(ad_id: int, draft: AdDraft) -> Change:
    """The audit record of an imported ad: every field from nothing to its value."""
    advertiser = draft.advertiser_name.strip() or (
        f"#{draft.advertiser_id}" if draft.advertiser_id is not None else ""
    )
    values = {
        "category": draft.category.strip(),
        "advertiser": advertiser,
        "title": draft.title,
        "body": draft.body,
        "phones": [p.display for p in draft.phones],
        "dates": sorted(set(draft.dates)),
        "override_reason": draft.override_reason,
    }
    return Change("ad.import", "ad", ad_id, diff(None, values), ad_id=ad_id)


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class AdOut:
    id: int
    category: str
    advertiser: str
    title: str
    body: str
    phones: tuple[str, ...]  # as printed
    dates: tuple[dt.date, ...]
    override_reason: str


@dataclass(frozen=True)
class AdvertiserOut:
    id: int
    name: str
    phones: tuple[str, ...]
    address: str
    note: str
    ad_count: int
    last_date: dt.date | None


@dataclass(frozen=True)
class InsertionOut:
    date: dt.date
    ad_id: int
    category: str
    advertiser: str
    title: str
    phones: tuple[str, ...]


def _in_range(column: object, date_from: dt.date | None, date_to: dt.date | None) -> list[object]:
    conds: list[object] = []
    if date_from is not None:
        conds.append(column >= date_from)  # type: ignore[operator]
    if date_to is not None:
        conds.append(column <= date_to)  # type: ignore[operator]
    return conds


def export_ads(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[AdOut]:
    """Every ad (or those booked in the range, with their dates in it), oldest first."""
    ranged = date_from is not None or date_to is not None
    ins_query = Insertion.select(Insertion.ad, Insertion.date)
    for cond in _in_range(Insertion.date, date_from, date_to):
        ins_query = ins_query.where(cond)
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for ad, day in tuples(ins_query.order_by(Insertion.ad, Insertion.date)):
        dates[ad].append(as_date(day))
    query = (
        Ad.select(Ad.id, Category.name, Advertiser.name, Ad.title, Ad.body, Ad.override_reason)
        .join(Category, on=(Ad.category == Category.id), join_type=JOIN.LEFT_OUTER)
        .switch(Ad)
        .join(Advertiser, on=(Ad.advertiser == Advertiser.id), join_type=JOIN.LEFT_OUTER)
        .order_by(Ad.id)
    )
    phones: dict[int, list[str]] = defaultdict(list)
    for ad, display in tuples(
        AdPhone.select(AdPhone.ad, AdPhone.display).order_by(AdPhone.ad, AdPhone.position)
    ):
        phones[ad].append(display)
    out = []
    for ad_id, cat, adv, title, body, reason in tuples(query):
        if ranged and ad_id not in dates:
            continue
        out.append(
            AdOut(
                ad_id,
                cat or "",
                adv or "",
                title,
                body,
                tuple(phones.get(ad_id, ())),
                tuple(dates.get(ad_id, ())),
                reason or "",
            )
        )
    return out


def export_advertisers(ad_ids: Iterable[int] | None = None) -> list[AdvertiserOut]:
    """Advertisers (all, or those of the given ads) with phones, ad count and last date."""
    query = Advertiser.select().order_by(Advertiser.id)
    if ad_ids is not None:
        wanted = Ad.select(Ad.advertiser).where(Ad.id.in_(list(ad_ids)))
        query = query.where(Advertiser.id.in_(wanted))
    advertisers = list(query)
    phones: dict[int, list[str]] = defaultdict(list)
    for adv, display in tuples(
        AdvertiserPhone.select(AdvertiserPhone.advertiser, AdvertiserPhone.display).order_by(
            AdvertiserPhone.id
        )
    ):
        phones[adv].append(display)
    stats = {
        adv: (count, last)
        for adv, count, last in tuples(
            Ad.select(Ad.advertiser, fn.COUNT(fn.DISTINCT(Ad.id)), fn.MAX(Insertion.date))
            .join(Insertion, JOIN.LEFT_OUTER)
            .where(Ad.advertiser.is_null(False))
            .group_by(Ad.advertiser)
        )
    }
    out = []
    for a in advertisers:
        count, last = stats.get(a.id, (0, None))
        out.append(
            AdvertiserOut(
                a.id,
                a.name,
                tuple(phones.get(a.id, ())),
                a.address,
                a.note,
                int(count),
                optional_date(last),
            )
        )
    return out


def export_insertions(
    date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[InsertionOut]:
    """Every insertion in the range, by date then ad."""
    query = (
        Insertion.select(Insertion.date, Ad.id, Category.name, Advertiser.name, Ad.title)
        .join(Ad)
        .join(Category, on=(Ad.category == Category.id), join_type=JOIN.LEFT_OUTER)
        .switch(Ad)
        .join(Advertiser, on=(Ad.advertiser == Advertiser.id), join_type=JOIN.LEFT_OUTER)
        .order_by(Insertion.date, Ad.id)
    )
    for cond in _in_range(Insertion.date, date_from, date_to):
        query = query.where(cond)
    rows = list(tuples(query))
    phones: dict[int, list[str]] = defaultdict(list)
    ids = sorted({r[1] for r in rows})
    for chunk in chunks(ids, CHUNK):
        for ad, display in tuples(
            AdPhone.select(AdPhone.ad, AdPhone.display)
            .where(AdPhone.ad.in_(chunk))
            .order_by(AdPhone.ad, AdPhone.position)
        ):
            phones[ad].append(display)
    return [
        InsertionOut(as_date(day), ad, cat or "", adv or "", title, tuple(phones.get(ad, ())))
        for day, ad, cat, adv, title in rows
    ]
