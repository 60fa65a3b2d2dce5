"""Bulk reads and writes for import and export: many new ads at once, whole tables out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from peewee import JOIN, SqliteDatabase, fn

from adsdesk.chunks import chunks
from adsdesk.domain.dates import as_date, optional_date
from adsdesk.errors import DeskError
from adsdesk.store.actor import CLERK
from adsdesk.store.ads import AdDraft
from adsdesk.store.advertisers import AdvertiserNotFound
from adsdesk.store.audit import Change, record_many, record_prepared
from adsdesk.store.backend import insert_many, insert_returning_ids, is_postgres
from adsdesk.store.import_text import CreatedText, advertiser_json, created_text
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
from adsdesk.store.search_text import AdvParts
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
    rows = [(n, "", "", stamp) for n in wanted]
    ids = _insert_with_ids(Advertiser, ["name", "address", "note", "created_at"], rows)
    return dict(zip(wanted, ids, strict=True))


def _insert_with_ids(
    model: type[BaseModel], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert rows (values of the fields ``names``) and return their ids, in order (inside a
    transaction).

    SQLite: the first row goes in through peewee, which takes SQLite's write lock and gives
    the next free id; the others follow on with the ids after it in one ``executemany``.
    PostgreSQL (other desks insert meanwhile): one multi-row INSERT … RETURNING id.
    """
    if not rows:
        return []
    if is_postgres():
        return insert_returning_ids(model, names, rows)
    fields = [model._meta.fields[n] for n in names]
    first = int(model.insert(dict(zip(fields, rows[0], strict=True))).execute())
    ids = list(range(first, first + len(rows)))
    if len(rows) > 1:
        values = [(i, *row) for i, row in zip(ids[1:], rows[1:], strict=True)]
        insert_many(model, ["id", *names], values)
    return ids


def _sql_value(value: object) -> object:
    """Dates as the sqlite3 module stores them (ISO text), everything else unchanged."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def save_many(
    drafts: Sequence[AdDraft], progress: Progress | None = None, index_workers: int = 0
) -> list[int]:
    """Save new ads (``id`` None) exactly as ``save_ad`` would, in one transaction.

    ``index_workers`` > 0 builds the search-index documents in that many helper processes.
    Raises BulkCancelled when ``progress`` returns False; the whole batch is then rolled back.
    """
    ids: list[int] = []
    with bulk_saver(index_workers) as saver:
        for batch in chunks(drafts, CHUNK):
            ids += saver.add(batch)
            if progress is not None and progress(len(ids)) is False:
                raise BulkCancelled()
    return ids


@contextmanager
def bulk_saver(index_workers: int = 0) -> Iterator[BulkSaver]:
    """A :class:`BulkSaver` inside one transaction: committed when the block ends, rolled back
    (triggers and all) when it raises.

    The rows go in with multi-row INSERTs (ads, phones, advertiser phones, insertions).
    SQLite suspends the index triggers and indexes the new rows as they go in (their documents
    built in ``index_workers`` helper processes, or handed over ready-made); PostgreSQL keeps
    its triggers (other desks are writing) and builds the documents at the end.
    """
    require(CLERK, "导入广告")
    with db.atomic():
        if isinstance(db.obj, SqliteDatabase):
            # The rows are new: no per-row trigger upkeep. The triggers come back in this
            # transaction (and with its rollback).
            with _big_cache(), NewRowsIndexer(workers=index_workers) as indexer:
                indexer.pending_advertisers()  # created just before, e.g. by an older caller
                with triggers_suspended():
                    yield BulkSaver(indexer)
                indexer.finish()
        else:
            yield BulkSaver(_TriggersIndex())
        sync_index()  # the search index takes the new ads in the same transaction


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

    def ad_documents(self, rows: Sequence[tuple[Any, ...]]) -> None:
        pass

    def advertisers(self, rows: Sequence[tuple[Any, ...]]) -> None:
        pass

    def advertiser_documents(self, rows: Sequence[tuple[Any, ...]]) -> None:
        pass

    def search_ad(self, rows: Sequence[tuple[Any, ...]]) -> None:
        pass


# What the search index needs of an ad's text, built away from the database (search_text's
# ``ad_doc_parts``): normalised title, normalised body, gram document.
DocParts = tuple[str, str, str]

# A new ad for BulkSaver.add_new: (category name, advertiser id or None, title, body, override
# reason, phones (each with .e164 and .display, as saved), dates (sorted, each once)).
NewAd = tuple[str, int | None, str, str, str, Sequence[Any], Sequence[dt.date]]
_AD_FIELDS = (
    *("category", "advertiser", "title", "body", "override_reason", "created_at"),
    "updated_at",
)


class _LinkRows(NamedTuple):
    """Rows of a batch's ads that hang off them: numbers, advertisers' numbers, insertions."""

    phones: list[tuple[Any, ...]]
    advertiser_phones: list[tuple[Any, ...]]
    insertions: list[tuple[Any, ...]]


class BulkSaver:
    """Adds new ads batch by batch in the transaction of :func:`bulk_saver`."""

    def __init__(self, indexer: NewRowsIndexer | _TriggersIndex) -> None:
        self._indexer = indexer
        self._categories: dict[str, int | None] = {}
        self._advertisers: dict[str, int] = {}  # by name, as found or created by advertisers()
        self._linked: dict[int, set[str]] = {}  # advertiser -> its phones (checked to exist)
        self._days: dict[object, str] = {}  # date -> as stored: files book the same days often
        self._stamp = _sql_value(dt.datetime.now().replace(microsecond=0))

    def advertisers(
        self, names: Iterable[str], prepared: Mapping[str, AdvParts] | None = None
    ) -> dict[str, int]:
        """Advertiser ids by exact name (the oldest one when a name is used twice); a new name
        becomes one new advertiser. Names come back in the order first given. ``prepared``:
        search documents of names built elsewhere (``advertiser_doc_parts(name, "")``)."""
        wanted = [n for n in dict.fromkeys(n.strip() for n in names) if n]
        new = [n for n in wanted if n not in self._advertisers]
        if new:
            found = advertiser_ids_by_name(new)
            self._advertisers.update(found)  # their phones load with the first ad naming them
            created = create_advertisers([n for n in new if n not in found])
            self._advertisers.update(created)
            for adv in created.values():
                self._linked[adv] = set()
            # Their documents from what was just written (name, no address): not read back.
            ready = prepared or {}
            self._indexer.advertiser_documents(
                [(adv, *ready[name]) for name, adv in created.items() if name in ready]
            )
            self._indexer.advertisers(
                [(adv, name, "") for name, adv in created.items() if name not in ready]
            )
        return {n: self._advertisers[n] for n in wanted}

    def _link_rows(
        self,
        ad_id: int,
        adv: int | None,
        phones: Sequence[Any],
        dates: Sequence[dt.date],
        links: _LinkRows,
    ) -> list[str]:
        """Add the rows of one new ad's numbers (and its advertiser's new ones) and insertions
        (``dates`` sorted, no repeats) to ``links``; its ISO dates as stored, in order."""
        mine = self._linked.setdefault(adv, set()) if adv is not None else None
        for position, phone in enumerate(phones):
            links.phones.append((ad_id, phone.e164, phone.display, position))
            if mine is not None and phone.e164 not in mine:
                mine.add(phone.e164)
                links.advertiser_phones.append((adv, phone.e164, phone.display))
        days, stamp = self._days, self._stamp
        booked: list[str] = []
        for d in dates:
            day = days.get(d)
            if day is None:
                day = days[d] = str(_sql_value(d))
            links.insertions.append((ad_id, day, stamp))
            booked.append(day)
        return booked

    def add(self, drafts: Sequence[AdDraft], docs: Sequence[DocParts] | None = None) -> list[int]:
        """Insert new ads; returns their ids. ``docs``, one per draft, saves building the
        search documents here."""
        if any(d.id is not None for d in drafts):
            raise ValueError("save_many only adds new ads")
        self._load_advertisers({a for d in drafts if (a := d.advertiser_id) is not None})
        categories, stamp = self._categories, self._stamp
        indexer = self._indexer
        ad_rows: list[dict[str, Any]] = []
        for draft in drafts:
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
        ids = _insert_with_ids(Ad, _AD_FIELDS, [tuple(r.values()) for r in ad_rows])
        if docs is None:
            indexer.ads(
                [
                    (ad_id, row["title"], row["body"], row["category"])
                    for ad_id, row in zip(ids, ad_rows, strict=True)
                ]
            )
        else:
            indexer.ad_documents(
                [
                    (ad_id, *parts, row["category"])
                    for ad_id, parts, row in zip(ids, docs, ad_rows, strict=True)
                ]
            )
        links = _LinkRows([], [], [])
        phone_rows, adv_phone_rows, insertion_rows = links
        search_rows: list[tuple[Any, ...]] = []
        for ad_id, draft, row in zip(ids, drafts, ad_rows, strict=True):
            adv = row["advertiser"]
            booked = self._link_rows(ad_id, adv, draft.phones, sorted(set(draft.dates)), links)
            search_rows.append(
                (ad_id, row["category"], adv, min(booked, default=None), max(booked, default=None))
            )
        insert_many(AdPhone, ["ad", "e164", "display", "position"], phone_rows)
        insert_many(AdvertiserPhone, ["advertiser", "e164", "display"], adv_phone_rows)
        insert_many(Insertion, ["ad", "date", "created_at"], insertion_rows)
        indexer.search_ad(search_rows)
        record_many([_created(ad_id, draft) for ad_id, draft in zip(ids, drafts, strict=True)])
        return ids

    def add_new(
        self,
        ads: Sequence[NewAd],
        docs: Sequence[DocParts] | None = None,
        texts: Sequence[CreatedText] | None = None,
    ) -> list[int]:
        """:meth:`add` for ads given as plain tuples (see :data:`NewAd`), their advertisers
        already found or made (:meth:`advertisers`): the same rows, search entries and audit
        records, without a draft, a dict and a generic audit conversion per ad. ``texts``, one
        per ad, saves writing out their audit texts here (``import_text.created_text``)."""
        self._load_advertisers({a for ad in ads if (a := ad[1]) is not None})
        categories, stamp = self._categories, self._stamp
        ad_rows: list[tuple[Any, ...]] = []
        for cat, adv, title, body, override, _phones, _dates in ads:
            cat = cat.strip()
            if cat not in categories:
                categories[cat] = category_id(cat)
            ad_rows.append((categories[cat], adv, title, body, override, stamp, stamp))
        ids = _insert_with_ids(Ad, _AD_FIELDS, ad_rows)
        if docs is None:
            self._indexer.ads([(i, r[2], r[3], r[0]) for i, r in zip(ids, ad_rows, strict=True)])
        else:
            self._indexer.ad_documents(
                [(i, *d, r[0]) for i, d, r in zip(ids, docs, ad_rows, strict=True)]
            )
        links = _LinkRows([], [], [])
        phone_rows, adv_phone_rows, insertion_rows = links
        search_rows: list[tuple[Any, ...]] = []
        audit_rows: list[tuple[int, int, str]] = []
        halves = texts if texts is not None else [None] * len(ads)
        for ad_id, ad, row, half in zip(ids, ads, ad_rows, halves, strict=True):
            cat, adv, title, body, override, phones, dates = ad
            booked = self._link_rows(ad_id, adv, phones, dates, links)
            search_rows.append(
                (ad_id, row[0], adv, booked[0] if booked else None, booked[-1] if booked else None)
            )
            # _created's changes as json.dumps(…, ensure_ascii=False) writes them, written out.
            if half is None:
                half = created_text(cat, title, body, [p.display for p in phones], booked, override)
            audit_rows.append((ad_id, ad_id, f"{half[0]}{advertiser_json(adv)}{half[1]}"))
        insert_many(AdPhone, ["ad", "e164", "display", "position"], phone_rows)
        insert_many(AdvertiserPhone, ["advertiser", "e164", "display"], adv_phone_rows)
        insert_many(Insertion, ["ad", "date", "created_at"], insertion_rows)
        self._indexer.search_ad(search_rows)
        record_prepared("ad.import", "ad", audit_rows)
        return ids

    def _load_advertisers(self, wanted: set[int]) -> None:
        """Check that these advertisers exist and load their phones (once per advertiser)."""
        known_adv = sorted(a for a in wanted if a not in self._linked)
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
                f'SELECT "{adv_column}", "e164" FROM "{phone_table}" '
                f'WHERE "{adv_column}" IN ({marks})',
                chunk,
            ).fetchall():
                linked[adv].add(e164)
        missing = [a for a in known_adv if a not in present]
        if missing:
            raise AdvertiserNotFound(f"客户 #{missing[0]} 不存在")
        for adv in known_adv:
            self._linked[adv] = linked[adv]


def _created(ad_id: int, draft: AdDraft) -> Change:
    """The audit record of an imported ad: every field from nothing to its value."""
    advertiser = draft.advertiser_name.strip() or (
        f"#{draft.advertiser_id}" if draft.advertiser_id is not None else ""
    )
    # diff(None, values), written out: every value is new and already plain (strings, ISO
    # dates), and diff's generic conversions cost more than the rest of the row's saving.
    changes: dict[str, list[Any]] = {
        "category": [None, draft.category.strip()],
        "advertiser": [None, advertiser],
        "title": [None, draft.title],
        "body": [None, draft.body],
        "phones": [None, [p.display for p in draft.phones]],
        "dates": [None, [d.isoformat() for d in sorted(set(draft.dates))]],
        "override_reason": [None, draft.override_reason],
    }
    return Change("ad.import", "ad", ad_id, changes, ad_id=ad_id)


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
