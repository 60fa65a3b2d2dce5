"""How a search runs: query parsing, filters, and the plan that turns them into ad ids.

No Qt; plain SQL through ``backend`` (SQLite or PostgreSQL), the text condition from
``search_backend``. See ``search`` for the
public functions and ``search_schema`` / ``search_pg`` for the tables.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from adsdesk.chunks import chunks
from adsdesk.domain.phone_check import check_phone
from adsdesk.domain.textnorm import digits_only, to_halfwidth
from adsdesk.store import backend
from adsdesk.store.backend import is_postgres
from adsdesk.store.search_backend import TextMatch, advertiser_ids, ensure_synced, text_match
from adsdesk.store.search_text import normalise

Order = Literal["id_desc", "id_asc", "date_desc", "date_asc"]
ORDERS: tuple[str, ...] = ("id_desc", "id_asc", "date_desc", "date_asc")
SMALL_FILTER = 5_000  # a filter set this small is checked ad by ad instead of via the index
FEW_EXTRAS = 300  # up to this many ads found by number (or advertiser) are checked one by one
PHONE_TEXT_SET = 20_000  # up to this many text hits, number-only hits are found by subtraction
NO_COUNT = -1  # count_limit for callers that want ids only
BOUNDED_DAYS = 400  # date ranges up to this long narrow the id range searched …
PRUNE_FROM = 10_000  # … when the text alone matches more ads than this
_PHONE_QUERY = re.compile(r"[+\d\s\-.()]+")

# --------------------------------------------------------------------------- query model


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to; every condition given must hold."""

    category: str | None = None
    date_from: dt.date | None = None  # with date_to: has an insertion within the range
    date_to: dt.date | None = None
    on_date: dt.date | None = None  # has an insertion on this issue date

    def empty(self) -> bool:
        return not (self.category or self.has_dates())

    def has_dates(self) -> bool:
        return bool(self.on_date or self.date_from or self.date_to)


NO_FILTERS = Filters()


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the index sees it."""

    text: str  # normalised and stripped; "" means no text condition
    e164: str | None = None  # the query is a complete, valid phone number
    tail: str | None = None  # its digits (4 or more), matched against the end of numbers
    impossible: bool = False  # holds characters no stored text can contain


def parse_query(query: str, area_code: str | None = None) -> ParsedQuery:
    """Normalise ``query``; recognise a phone number, or the tail of one (4+ digits)."""
    text = normalise(query).strip(" ")
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return ParsedQuery(text, impossible=True)
    half = to_halfwidth(query).strip()
    digits = digits_only(half)
    if len(digits) < 4 or not _PHONE_QUERY.fullmatch(half):
        return ParsedQuery(text)
    check = check_phone(half, area_code or _area_code())
    return ParsedQuery(text, e164=check.e164 if check.valid else None, tail=digits)


def _area_code() -> str:
    from adsdesk.store.settings import load_settings

    return load_settings().area_code


# --------------------------------------------------------------------------- small helpers


def query_rows(sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    return backend.rows(sql, params)


__all__ = ["TextMatch", "advertiser_ids", "ensure_synced", "text_match"]


def placeholders(n: int) -> str:
    return ",".join("?" * n)


def text_in(pq: ParsedQuery, *fields: str) -> bool:
    return any(pq.text in normalise(f) for f in fields)


def _sort_key(order: str, dates: dict[int, str | None]) -> Callable[[int], Any]:
    if order.startswith("id"):
        return lambda i: i
    return lambda i: (dates.get(i) or "", i)


def iso(value: object) -> str | None:
    """A stored date as ISO text (SQLite keeps text, PostgreSQL gives a date)."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def last_dates(ids: Sequence[int]) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    for chunk in chunks(ids):
        for ad_id, last in query_rows(
            f"SELECT ad_id, last_date FROM search_ad WHERE ad_id IN ({placeholders(len(chunk))})",
            chunk,
        ):
            out[ad_id] = iso(last)
    return out


# --------------------------------------------------------------------------- filters


@dataclass
class _Conds:
    """Filter conditions on ``s`` (the search_ad row of an ad) as SQL."""

    where: list[str]
    params: list[object]
    impossible: bool = False
    category_id: int | None = None  # when set, ``where[0]`` / ``params[0]`` test it

    def sql(self) -> str:
        return " AND ".join(self.where) or "1 = 1"

    def without_category(self) -> _Conds:
        """The date conditions only (the full-text query carries the category)."""
        if self.category_id is None:
            return self
        return _Conds(self.where[1:], self.params[1:], self.impossible)


def _conds(filters: Filters) -> _Conds:
    where: list[str] = []
    params: list[object] = []
    category_id = None
    if filters.category:
        row = query_rows("SELECT id FROM category WHERE name = ?", (filters.category.strip(),))
        if not row:
            return _Conds([], [], impossible=True)
        where.append("s.category_id = ?")
        params.append(row[0][0])
        category_id = int(row[0][0])
    if filters.on_date:
        where.append("EXISTS (SELECT 1 FROM insertion WHERE ad_id = s.ad_id AND date = ?)")
        params.append(filters.on_date.isoformat())
    if filters.date_from or filters.date_to:
        lo, hi = _range(filters)
        if lo > hi:
            return _Conds([], [], impossible=True)
        where.append("s.last_date >= ? AND s.first_date <= ?")
        where.append(
            "EXISTS (SELECT 1 FROM insertion WHERE ad_id = s.ad_id AND date BETWEEN ? AND ?)"
        )
        params += [lo, hi, lo, hi]
    return _Conds(where, params, category_id=category_id)


def _range(filters: Filters) -> tuple[str, str]:
    return (filters.date_from or dt.date.min).isoformat(), (
        filters.date_to or dt.date.max
    ).isoformat()


def _filtered(filters: Filters, conds: _Conds) -> tuple[str, list[object]]:
    """SQL selecting ``s.ad_id`` (with ``s`` joined) for every ad passing the filters."""
    if filters.on_date:
        base, params = (
            "SELECT DISTINCT ad_id FROM insertion WHERE date = ?",
            [filters.on_date.isoformat()],
        )
    elif filters.date_from or filters.date_to:
        base = "SELECT DISTINCT ad_id FROM insertion WHERE date BETWEEN ? AND ?"
        params = list(_range(filters))
    else:
        return f"SELECT s.ad_id FROM search_ad AS s WHERE {conds.sql()}", list(conds.params)
    sql = f"SELECT s.ad_id FROM ({base}) AS b JOIN search_ad AS s ON s.ad_id = b.ad_id WHERE {conds.sql()}"
    return sql, params + conds.params


def _few_filtered(filters: Filters, conds: _Conds, cap: int) -> bool:
    """Do fewer than ``cap`` ads pass the filters? Counted on the cheapest index, at most ``cap``
    entries (insertions in the date range bound the ads from above)."""
    params: list[object]
    if filters.on_date:
        sql, params = "SELECT 1 FROM insertion WHERE date = ?", [filters.on_date.isoformat()]
    elif filters.date_from or filters.date_to:
        sql, params = "SELECT 1 FROM insertion WHERE date BETWEEN ? AND ?", list(_range(filters))
    else:
        sql, params = f"SELECT 1 FROM search_ad AS s WHERE {conds.sql()}", list(conds.params)
    n, _ = _count(f"({sql}) AS f", params, cap)
    return n < cap


def _id_bounds(filters: Filters) -> list[int] | None:
    """The lowest and highest id among ads booked under the date filter, when that is cheap
    (one issue, or a range of up to ``BOUNDED_DAYS``): it lets FTS skip most postings."""
    if filters.on_date:
        where, params = "date = ?", [filters.on_date.isoformat()]
    elif (
        filters.date_from
        and filters.date_to
        and (filters.date_to - filters.date_from).days <= BOUNDED_DAYS
    ):
        where, params = "date BETWEEN ? AND ?", list(_range(filters))
    else:
        return None
    lo, hi = query_rows(f"SELECT min(ad_id), max(ad_id) FROM insertion WHERE {where}", params)[0]
    return [0, -1] if lo is None else [int(lo), int(hi)]


def _order_by(order: str, id_col: str) -> str:
    direction = "DESC" if order.endswith("desc") else "ASC"
    if order.startswith("id"):
        return f"{id_col} {direction}"
    nulls = ""
    if backend.is_postgres():  # SQLite's order: an ad never booked sorts as the earliest date
        nulls = " NULLS LAST" if direction == "DESC" else " NULLS FIRST"
    return f"s.last_date {direction}{nulls}, {id_col} {direction}"


# --------------------------------------------------------------------------- ad ids


@dataclass(frozen=True)
class Found:
    ids: list[int]  # the requested window, in order
    total: int
    exact: bool


def _count(from_where: str, params: Sequence[object], cap: int | None) -> tuple[int, bool]:
    if cap is None:
        return int(query_rows(f"SELECT count(*) FROM {from_where}", params)[0][0]), True
    n = int(
        query_rows(
            f"SELECT count(*) FROM (SELECT 1 FROM {from_where} LIMIT ?) AS c", (*params, cap + 1)
        )[0][0]
    )
    return min(n, cap), n <= cap


def partition_cap(count_limit: int | None) -> int | None:
    """The cap ``search_pg.first_ad_ids`` counts to for a search's ``count_limit`` (None: it
    does not count; the total is counted exactly, or not at all)."""
    return count_limit if count_limit is not None and count_limit != NO_COUNT else None


def find(
    pq: ParsedQuery,
    filters: Filters,
    order: str,
    limit: int | None,
    offset: int,
    count_limit: int | None,
    small_filter: int = SMALL_FILTER,
    also: Collection[int] = (),
    of_advertisers: Sequence[int] = (),
) -> Found:
    """The plan: no text → straight from the date/category indexes; text under a filter that
    leaves fewer than ``small_filter`` ads → check those ads one by one; otherwise → the FTS
    posting list (ordered by rowid), joined with the filter conditions, plus phone matches.

    ``also``: ads found another way, and ``of_advertisers``: every ad of these advertisers
    (those the query names) — merged in like the ads found by number, under the same filters
    and order."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; one of {ORDERS}")
    conds = _conds(filters)
    if pq.impossible or conds.impossible:
        return Found([], 0, True)
    if not pq.text:
        return _find_no_text(filters, conds, order, limit, offset, count_limit)
    ensure_synced()
    extra_ids = phone_owners(pq, "ad_phone", "ad_id") | set(also)
    if not filters.empty():
        if _few_filtered(filters, conds, small_filter):
            source, params = _filtered(filters, conds)
            candidates = [r[0] for r in query_rows(source, params)]
            extra_ids |= _ads_of(of_advertisers)
            return _verify(pq, candidates, extra_ids, order, limit, offset)
    tm = text_match(pq.text, "ad", conds.category_id)
    id_col = tm.id_col
    rest = conds.without_category()
    postings_only = not rest.where and order.startswith("id")
    if postings_only:
        from_where, params = f"{tm.source} WHERE {tm.where}", list(tm.params)  # the postings
    else:
        from_where = (
            f"{tm.source} JOIN search_ad AS s ON s.ad_id = {id_col} "
            f"WHERE {tm.where} AND {rest.sql()}"
        )
        params = [*tm.params, *rest.params]
        bounds = _id_bounds(filters)  # (the text's hits counted only when this can prune them)
        if (
            bounds is not None
            and not _count(f"{tm.source} WHERE {tm.where}", tm.params, PRUNE_FROM)[1]
        ):
            # ads are entered about when they run: prune the postings
            from_where += f" AND {id_col} BETWEEN ? AND ?"
            params += bounds
    text_sql = f"SELECT {id_col} FROM {from_where}"
    if (extra_ids or of_advertisers) and order.startswith("id") and not is_postgres():
        # SQLite: the extra ads merged into the postings by SQL (PostgreSQL pages the text by
        # partition, search_pg, and merges in Python below).
        extra = _extra_sql(extra_ids, of_advertisers, conds)
        short = len(pq.text) <= 2
        return _find_merged(text_sql, params, extra, order, limit, offset, count_limit, short)
    phone_ids = extra_ids | _ads_of(of_advertisers)
    merge_only = False
    select = f"SELECT {id_col} FROM {from_where} ORDER BY {_order_by(order, id_col)}"
    window = None if limit is None else offset + limit
    by_partition = window is not None and postings_only and is_postgres()
    if by_partition:  # the text alone, in id order: newest partitions first (search_pg)
        from adsdesk.store.search_pg import first_ad_ids

        assert window is not None
        desc = order.endswith("desc")
        cap = partition_cap(count_limit)
        ids, text_total, every = first_ad_ids(pq.text, conds.category_id, desc, window, cap)
        uncounted = count_limit == NO_COUNT or (
            count_limit is not None and text_total is not None and text_total > count_limit
        )
        if phone_ids and uncounted and len(ids) >= window:
            # The page is full of text hits and the total is past its cap (or not asked for):
            # only the extra ads that sort before the page's last hit can change the answer,
            # and they are merged without repeats rather than looked at one by one.
            last = ids[window - 1]
            phone_ids = {i for i in phone_ids if (i > last if desc else i < last)}
            merge_only = True
    listed = every if by_partition else None  # (every hit, when not past the cap)
    extras, overlap = _phone_extras(pq, phone_ids, conds, text_sql, params, merge_only, listed)
    if by_partition and not extras:
        ids = ids[offset:]
    if extras:  # merge the few ads found by number alone into the ordered stream
        if not by_partition:
            ids = [
                r[0]
                for r in query_rows(
                    select + ("" if window is None else " LIMIT ?"),
                    (*params, *(() if window is None else (window,))),
                )
            ]
        dates = last_dates([*ids, *extras]) if order.startswith("date") else {}
        key, desc = _sort_key(order, dates), order.endswith("desc")
        extras.sort(key=key, reverse=desc)
        merged = heapq.merge(ids, extras, key=key, reverse=desc)
        ids = list(dict.fromkeys(merged) if overlap else merged)[offset:window]
    elif limit is None:
        ids = [
            r[0]
            for r in query_rows(select + " LIMIT ? OFFSET ?", (*params, backend.no_limit(), offset))
        ]
    elif not by_partition:
        ids = [r[0] for r in query_rows(select + " LIMIT ? OFFSET ?", (*params, limit, offset))]
    if limit is None and offset == 0:
        return Found(ids, len(ids), True)
    if count_limit == NO_COUNT:
        return Found(ids, len(ids), False)
    if rest.where:
        total, exact = _count(from_where, params, count_limit)
    elif by_partition and text_total is not None:  # (read with the page, newest first)
        n = text_total
        total, exact = (n, True) if count_limit is None else (min(n, count_limit), n <= count_limit)
    else:  # ordered by date: the join with search_ad orders, it filters nothing
        total, exact = _count(f"{tm.source} WHERE {tm.where}", tm.params, count_limit)
    if overlap and exact:  # few text hits: those the extra ads add
        if by_partition and every is not None:  # (listed as they were counted)
            in_text = set(every)
        else:
            in_text = {r[0] for r in query_rows(text_sql, params)}
        return Found(ids, total + sum(i not in in_text for i in extras), True)
    # past the cap the total is the cap ("1000+"), however many the number or advertiser add
    return Found(ids, total + len(extras) if exact else total, exact)


Arm = tuple[str, list[object]]  # SQL selecting ad ids, and its parameters


def _ads_of(advertisers: Sequence[int]) -> set[int]:
    """Every ad of these advertisers."""
    out: set[int] = set()
    for chunk in chunks(list(advertisers)):
        out.update(
            r[0]
            for r in query_rows(
                f"SELECT ad_id FROM search_ad WHERE advertiser_id IN ({placeholders(len(chunk))})",
                chunk,
            )
        )
    return out


def _extra_sql(ids: Collection[int], advertisers: Sequence[int], conds: _Conds) -> Arm:
    """One SELECT of the extra ads passing the filters: those given by id (the numbers' ads,
    looked up once and passed as one list, as the window and the count each read them) and
    every ad of the advertisers. Arms joined by UNION: a compound is read left to right, so
    a UNION ALL here would keep duplicates of the text hits."""
    arms: list[Arm] = []
    if ids:
        sql, param = backend.id_list(sorted(ids))
        arms.append((sql, [param]))
    for chunk in chunks(list(advertisers)):
        marks = placeholders(len(chunk))
        arms.append((f"SELECT ad_id FROM search_ad WHERE advertiser_id IN ({marks})", [*chunk]))
    sql = " UNION ".join(a[0] for a in arms)
    params = [p for a in arms for p in a[1]]
    if not conds.where:  # every ad has its search_ad row (a trigger writes it)
        return sql, params
    return (
        f"SELECT s.ad_id FROM search_ad AS s WHERE s.ad_id IN ({sql}) AND {conds.sql()}",
        [*params, *conds.params],
    )


def _find_merged(
    text_sql: str,
    text_params: Sequence[object],
    extra: Arm,
    order: str,
    limit: int | None,
    offset: int,
    count_limit: int | None,
    short: bool,
) -> Found:
    """Text hits and extra ads as one ordered UNION: the window read in one query, the count
    in one more (the merge walks the postings in rowid order and stops at the cap)."""
    union = f"{text_sql} UNION {extra[0]}"
    params = [*text_params, *extra[1]]
    direction = "DESC" if order.endswith("desc") else "ASC"
    window = backend.no_limit() if limit is None else limit
    ids = [
        r[0]
        for r in query_rows(
            f"{union} ORDER BY 1 {direction} LIMIT ? OFFSET ?", (*params, window, offset)
        )
    ]
    if limit is None and offset == 0:
        return Found(ids, len(ids), True)
    if count_limit == NO_COUNT:
        return Found(ids, len(ids), False)
    if count_limit is None:
        n = int(query_rows(f"SELECT count(*) FROM ({union}) AS u", params)[0][0])
        return Found(ids, n, True)
    if short:  # one or two characters: the text alone passes the cap more often than not
        _, exact = _count(f"({text_sql}) AS t", text_params, count_limit)
        if not exact:
            return Found(ids, count_limit, False)
    n = int(
        query_rows(
            f"SELECT count(*) FROM ({union} ORDER BY 1 LIMIT ?) AS u", (*params, count_limit + 1)
        )[0][0]
    )
    return Found(ids, min(n, count_limit), n <= count_limit)


def _find_no_text(
    filters: Filters, conds: _Conds, order: str, limit: int | None, offset: int, cap: int | None
) -> Found:
    if filters.category and not filters.has_dates() and order.startswith("id"):
        source = "ad AS s WHERE s.category_id = ?"  # ad's own (category_id, id) index
        sql = f"SELECT s.id FROM {source} ORDER BY {_order_by(order, 's.id')}"
        params: list[object] = conds.params
    elif filters.has_dates():
        inner, params = _filtered(filters, conds)
        source = f"({inner}) AS f JOIN search_ad AS s ON s.ad_id = f.ad_id"
        sql = f"SELECT s.ad_id FROM {source} ORDER BY {_order_by(order, 's.ad_id')}"
    else:
        source = f"search_ad AS s WHERE {conds.sql()}"
        params = conds.params
        sql = f"SELECT s.ad_id FROM {source} ORDER BY {_order_by(order, 's.ad_id')}"
    ids = [
        r[0]
        for r in query_rows(
            sql + " LIMIT ? OFFSET ?",
            (*params, backend.no_limit() if limit is None else limit, offset),
        )
    ]
    if limit is None and offset == 0:
        return Found(ids, len(ids), True)
    if cap == NO_COUNT:
        return Found(ids, len(ids), False)
    total, exact = _count(source, params, cap)
    return Found(ids, total, exact)


def phone_owners(pq: ParsedQuery, table: str, owner: str) -> set[int]:
    """Ids of ads (advertisers) with a number equal to the query's or ending in its digits."""
    found: set[int] = set()
    if pq.e164:
        found.update(
            r[0] for r in query_rows(f"SELECT {owner} FROM {table} WHERE e164 = ?", (pq.e164,))
        )
    if pq.tail:
        found.update(
            r[0]
            for r in query_rows(
                f"SELECT {owner} FROM {table} WHERE {backend.phone_tail('e164')} = ? "
                f"AND {backend.ends_with('e164')}",
                (pq.tail[-4:], len(pq.tail), pq.tail),
            )
        )
    return found


def _phone_extras(
    pq: ParsedQuery,
    phone_ids: set[int],
    conds: _Conds,
    text_sql: str,
    text_params: Sequence[object],
    merge_only: bool = False,
    text_hits: Collection[int] | None = None,
) -> tuple[list[int], bool]:
    """Ads found by their number only (their text lacks the query), filters applied; and
    whether some of them may hold the text after all (then merge without repeats). With
    ``merge_only`` (no total is needed) their texts are never looked at; with ``text_hits``
    (every ad the text and the filters find, listed as the total was counted) neither."""
    if not phone_ids:
        return [], False
    kept = sorted(phone_ids)  # (no filter: every one; every ad has its search_ad row)
    if conds.where:
        kept = [
            r[0]
            for chunk in chunks(kept)
            for r in query_rows(
                f"SELECT s.ad_id FROM search_ad AS s WHERE s.ad_id IN ({placeholders(len(chunk))}) "
                f"AND {conds.sql()}",
                (*chunk, *conds.params),
            )
        ]
    if text_hits is not None and not merge_only:  # (a server's count lists them: no reads)
        hits = set(text_hits)
        return [i for i in kept if i not in hits], False
    if merge_only or (is_postgres() and len(kept) > FEW_EXTRAS):
        # Not sorted out here: merging without repeats gives the same page, and a capped
        # total past its cap needs nothing more (a few hundred ads of a named advertiser each
        # read from a cold table cost 10-20 ms; counting the text's hits up to
        # PHONE_TEXT_SET first cost up to 80 ms).
        return kept, True
    exact = False
    if len(kept) > FEW_EXTRAS:  # reading that many ads costs more than counting the text hits
        _, exact = _count(f"({text_sql}) AS t", text_params, PHONE_TEXT_SET)
    if exact:  # few text hits: take them all and subtract
        in_text = {r[0] for r in query_rows(text_sql, text_params)}
        return [i for i in kept if i not in in_text], False
    out: list[int] = []
    for chunk in chunks(kept):  # few extra ads, or many text hits: look at the extra ads
        rows = query_rows(
            f"SELECT id, title, body FROM ad WHERE id IN ({placeholders(len(chunk))})", chunk
        )
        out += [i for i, title, body in rows if not text_in(pq, title, body)]
    return out, False


def _verify(
    pq: ParsedQuery,
    candidates: list[int],
    phone_ids: set[int],
    order: str,
    limit: int | None,
    offset: int,
) -> Found:
    """Check a small candidate set ad by ad, with the index's own normalisation."""
    hits: list[int] = []
    for chunk in chunks(candidates):
        for i, title, body in query_rows(
            f"SELECT id, title, body FROM ad WHERE id IN ({placeholders(len(chunk))})", chunk
        ):
            if i in phone_ids or text_in(pq, title, body):
                hits.append(i)
    dates = last_dates(hits) if order.startswith("date") else {}
    hits.sort(key=_sort_key(order, dates), reverse=order.endswith("desc"))
    return Found(hits[offset : None if limit is None else offset + limit], len(hits), True)
