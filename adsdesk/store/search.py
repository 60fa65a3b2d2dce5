"""Finding ads and advertisers: exact fragments, phones in any form, pinyin, date/category filters.

A query is normalised (``search_index.normalise``) and matched as a plain substring of an ad's
title or body — the same set a full scan gives — through the index: one posting list for one or
two characters, one trigram phrase for three or more. A query that looks like a phone number
also finds the ads and advertisers carrying that number (E.164) or a number ending in its
digits. Nothing in a query is syntax: quotes, ``*``, ``AND``, brackets are searched as text.

For the lazy ad list: :func:`search_ad_ids` returns ids only (by id or by latest insertion
date, a window or all), :func:`count_ads` counts, :func:`fetch_rows` loads rows for a page.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from adsdesk.domain.phones import check_phone
from adsdesk.domain.textnorm import digits_only, to_halfwidth
from adsdesk.store.ads import AdRow
from adsdesk.store.models import db
from adsdesk.store.search_index import (
    category_marker,
    category_token,
    gram_token,
    normalise,
    sync_index,
)

Order = Literal["id_desc", "id_asc", "date_desc", "date_asc"]
ORDERS: tuple[str, ...] = ("id_desc", "id_asc", "date_desc", "date_asc")
DEFAULT_COUNT_LIMIT = 10_000
SMALL_FILTER = 5_000  # a filter set this small is checked ad by ad instead of via the index
ADVERTISER_CANDIDATES = 300
PHONE_TEXT_SET = 20_000  # up to this many text hits, number-only hits are found by subtraction
_NO_COUNT = -1  # count_limit for callers that want ids only
_PHONE_QUERY = re.compile(r"[+\d\s\-.()]+")
_SNIPPET_BEFORE, _SNIPPET_LEN = 12, 60

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

    return load_settings().area_code or "0352"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class AdHit:
    """One ad found; ``snippet`` is body text around the match, ``marks`` the matches in it."""

    id: int
    title: str
    snippet: str
    marks: tuple[tuple[int, int], ...]
    category: str
    dates: tuple[dt.date, ...]
    phones: tuple[str, ...]
    advertiser: str

    def marked_snippet(self, open_mark: str = "【", close_mark: str = "】") -> str:
        """The snippet with each match wrapped in marks (【】 by default), for text output."""
        out, pos = [], 0
        for start, end in self.marks:
            out += [self.snippet[pos:start], open_mark, self.snippet[start:end], close_mark]
            pos = end
        out.append(self.snippet[pos:])
        return "".join(out)


@dataclass(frozen=True)
class AdvertiserHit:
    """One advertiser found, with totals over all of their ads."""

    id: int
    name: str
    address: str
    phones: tuple[str, ...]
    ad_count: int
    last_date: dt.date | None
    last_ad_id: int | None
    matched: str  # "name", "address", "pinyin" or "phone"


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int  # ads found; a lower bound when ``total_exact`` is False
    total_exact: bool
    ads: list[AdHit] = field(default_factory=list)
    advertisers: list[AdvertiserHit] = field(default_factory=list)


@dataclass(frozen=True)
class AdvertiserHistory:
    """Who has advertised with a number: one advertiser, or None for ads linked to nobody."""

    advertiser_id: int | None
    name: str
    ad_count: int  # all ads of the advertiser (for None: the unlinked ads with the number)
    with_number: int  # how many of those print the number
    last_date: dt.date | None  # latest insertion date over those ads
    last_ad_id: int | None  # the ad booked last (for "repeat their last ad")


# --------------------------------------------------------------------------- small helpers


def _rows(sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    return list(db.connection().execute(sql, params).fetchall())


def _ensure_synced() -> None:
    """Apply edits made since the last sync (by any code path) before reading the index."""
    con = db.connection()
    if con.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone() is not None:
        with db.atomic():
            sync_index(con)


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _fts(text: str, kind: str, category_id: int | None = None) -> tuple[str, str]:
    """(FTS table, MATCH expression) for a normalised, non-empty query: all of the query is
    one quoted token or phrase, never syntax; an ad category adds an AND on its token."""
    if len(text) <= 2:
        match = f'"{gram_token(text)}"'
        if category_id is not None:
            match += f' AND "{category_token(category_id)}"'
        return f"search_{kind}_gram", match
    phrase = '"' + text.replace('"', '""') + '"'
    if kind != "ad":
        return f"search_{kind}_text", phrase
    match = "{title body} : " + phrase
    if category_id is not None:
        match += f' AND cat : "{category_marker(category_id)}"'
    return "search_ad_text", match


def _text_in(pq: ParsedQuery, *fields: str) -> bool:
    return any(pq.text in normalise(f) for f in fields)


def _sort_key(order: str, dates: dict[int, str | None]) -> Callable[[int], Any]:
    if order.startswith("id"):
        return lambda i: i
    return lambda i: (dates.get(i) or "", i)


def _last_dates(ids: Sequence[int]) -> dict[int, str | None]:
    out: dict[int, str | None] = {}
    for chunk in _chunks(ids):
        out.update(
            _rows(
                f"SELECT ad_id, last_date FROM search_ad WHERE ad_id IN ({_marks(len(chunk))})",
                chunk,
            )
        )
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
        return " AND ".join(self.where) or "1"

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
        row = _rows("SELECT id FROM category WHERE name = ?", (filters.category.strip(),))
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


def _order_by(order: str, id_col: str) -> str:
    direction = "DESC" if order.endswith("desc") else "ASC"
    if order.startswith("id"):
        return f"{id_col} {direction}"
    return f"s.last_date {direction}, {id_col} {direction}"


# --------------------------------------------------------------------------- ad ids


@dataclass(frozen=True)
class _Found:
    ids: list[int]  # the requested window, in order
    total: int
    exact: bool


def _count(from_where: str, params: Sequence[object], cap: int | None) -> tuple[int, bool]:
    if cap is None:
        return int(_rows(f"SELECT count(*) FROM {from_where}", params)[0][0]), True
    n = int(
        _rows(f"SELECT count(*) FROM (SELECT 1 FROM {from_where} LIMIT ?)", (*params, cap + 1))[0][
            0
        ]
    )
    return min(n, cap), n <= cap


def _find(
    pq: ParsedQuery,
    filters: Filters,
    order: str,
    limit: int | None,
    offset: int,
    count_limit: int | None,
    small_filter: int = SMALL_FILTER,
) -> _Found:
    """The plan: no text → straight from the date/category indexes; text under a filter that
    leaves fewer than ``small_filter`` ads → check those ads one by one; otherwise → the FTS
    posting list (ordered by rowid), joined with the filter conditions, plus phone matches."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; one of {ORDERS}")
    conds = _conds(filters)
    if pq.impossible or conds.impossible:
        return _Found([], 0, True)
    if not pq.text:
        return _find_no_text(filters, conds, order, limit, offset, count_limit)
    _ensure_synced()
    phone_ids = _phone_owners(pq, "ad_phone", "ad_id")
    if not filters.empty():
        source, params = _filtered(filters, conds)
        n, _ = _count(f"({source})", params, small_filter)
        if n < small_filter:
            return _verify(
                pq, [r[0] for r in _rows(source, params)], phone_ids, order, limit, offset
            )
    table, match = _fts(pq.text, "ad", conds.category_id)
    id_col = f"{table}.rowid"
    rest = conds.without_category()
    if not rest.where and order.startswith("id"):
        from_where, params = f"{table} WHERE {table} MATCH ?", [match]  # straight off the postings
    else:
        from_where = (
            f"{table} JOIN search_ad AS s ON s.ad_id = {id_col} "
            f"WHERE {table} MATCH ? AND {rest.sql()}"
        )
        params = [match, *rest.params]
    extras = _phone_extras(pq, phone_ids, conds, f"SELECT {id_col} FROM {from_where}", params)
    select = f"SELECT {id_col} FROM {from_where} ORDER BY {_order_by(order, id_col)}"
    if extras:  # merge the few ads found by number alone into the ordered stream
        window = None if limit is None else offset + limit
        ids = [
            r[0]
            for r in _rows(
                select + ("" if window is None else " LIMIT ?"),
                (*params, *(() if window is None else (window,))),
            )
        ]
        dates = _last_dates([*ids, *extras]) if order.startswith("date") else {}
        key, desc = _sort_key(order, dates), order.endswith("desc")
        extras.sort(key=key, reverse=desc)
        ids = list(heapq.merge(ids, extras, key=key, reverse=desc))[offset:window]
    elif limit is None:
        ids = [r[0] for r in _rows(select + " LIMIT -1 OFFSET ?", (*params, offset))]
    else:
        ids = [r[0] for r in _rows(select + " LIMIT ? OFFSET ?", (*params, limit, offset))]
    if limit is None and offset == 0:
        return _Found(ids, len(ids), True)
    if count_limit == _NO_COUNT:
        return _Found(ids, len(ids), False)
    total, exact = _count(from_where, params, count_limit)
    return _Found(ids, total + len(extras), exact)


def _find_no_text(
    filters: Filters, conds: _Conds, order: str, limit: int | None, offset: int, cap: int | None
) -> _Found:
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
        for r in _rows(sql + " LIMIT ? OFFSET ?", (*params, -1 if limit is None else limit, offset))
    ]
    if limit is None and offset == 0:
        return _Found(ids, len(ids), True)
    if cap == _NO_COUNT:
        return _Found(ids, len(ids), False)
    total, exact = _count(source, params, cap)
    return _Found(ids, total, exact)


def _phone_owners(pq: ParsedQuery, table: str, owner: str) -> set[int]:
    """Ids of ads (advertisers) with a number equal to the query's or ending in its digits."""
    found: set[int] = set()
    if pq.e164:
        found.update(r[0] for r in _rows(f"SELECT {owner} FROM {table} WHERE e164 = ?", (pq.e164,)))
    if pq.tail:
        found.update(
            r[0]
            for r in _rows(
                f"SELECT {owner} FROM {table} WHERE substr(e164, -4) = ? AND substr(e164, -?) = ?",
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
) -> list[int]:
    """Ads found by their number only (their text lacks the query), filters applied."""
    if not phone_ids:
        return []
    kept: list[int] = []
    for chunk in _chunks(sorted(phone_ids)):
        kept += [
            r[0]
            for r in _rows(
                f"SELECT s.ad_id FROM search_ad AS s WHERE s.ad_id IN ({_marks(len(chunk))}) "
                f"AND {conds.sql()}",
                (*chunk, *conds.params),
            )
        ]
    _, exact = _count(f"({text_sql})", text_params, PHONE_TEXT_SET)
    if exact:  # few text hits: take them all and subtract
        in_text = {r[0] for r in _rows(text_sql, text_params)}
        return [i for i in kept if i not in in_text]
    out: list[int] = []
    for chunk in _chunks(kept):  # many text hits: look at the few numbered ads instead
        rows = _rows(f"SELECT id, title, body FROM ad WHERE id IN ({_marks(len(chunk))})", chunk)
        out += [i for i, title, body in rows if not _text_in(pq, title, body)]
    return out


def _verify(
    pq: ParsedQuery,
    candidates: list[int],
    phone_ids: set[int],
    order: str,
    limit: int | None,
    offset: int,
) -> _Found:
    """Check a small candidate set ad by ad, with the index's own normalisation."""
    hits: list[int] = []
    for chunk in _chunks(candidates):
        for i, title, body in _rows(
            f"SELECT id, title, body FROM ad WHERE id IN ({_marks(len(chunk))})", chunk
        ):
            if i in phone_ids or _text_in(pq, title, body):
                hits.append(i)
    dates = _last_dates(hits) if order.startswith("date") else {}
    hits.sort(key=_sort_key(order, dates), reverse=order.endswith("desc"))
    return _Found(hits[offset : None if limit is None else offset + limit], len(hits), True)


# --------------------------------------------------------------------------- public: ads


def search_ad_ids(
    query: str,
    filters: Filters = NO_FILTERS,
    order: Order = "id_desc",
    limit: int | None = None,
    offset: int = 0,
) -> list[int]:
    """Ids of the ads matching ``query`` (all, or a window), newest first by default.

    ``order``: "id_desc" (latest entered first), "id_asc", "date_desc" (latest insertion date
    first; ads never booked last), "date_asc". An empty query lists every ad passing the filters.
    """
    return _find(parse_query(query), filters, order, limit, offset, _NO_COUNT).ids


def ad_ids(
    filters: Filters = NO_FILTERS,
    order: Order = "id_desc",
    limit: int | None = None,
    offset: int = 0,
) -> list[int]:
    """Ids of every ad passing ``filters`` (no text), straight from the index."""
    return _find(ParsedQuery(""), filters, order, limit, offset, _NO_COUNT).ids


def count_ads(
    query: str = "", filters: Filters = NO_FILTERS, limit: int | None = None
) -> tuple[int, bool]:
    """(number of ads matching, exact); with ``limit`` the count stops there (then not exact)."""
    found = _find(parse_query(query), filters, "id_desc", 0, 0, limit)
    return found.total, found.exact


def fetch_rows(ids: Sequence[int]) -> list[AdRow]:
    """The list rows of these ads, in the order given; ids of deleted ads are skipped."""
    ids = list(ids)
    base: dict[int, tuple[Any, ...]] = {}
    phones: dict[int, list[str]] = defaultdict(list)
    dates: dict[int, list[dt.date]] = defaultdict(list)
    for chunk in _chunks(ids):
        marks = _marks(len(chunk))
        for row in _rows(
            "SELECT ad.id, category.name, ad.title, ad.body, advertiser.name FROM ad "
            "LEFT JOIN category ON category.id = ad.category_id "
            "LEFT JOIN advertiser ON advertiser.id = ad.advertiser_id "
            f"WHERE ad.id IN ({marks})",
            chunk,
        ):
            base[row[0]] = row
        for ad_id, display in _rows(
            f"SELECT ad_id, display FROM ad_phone WHERE ad_id IN ({marks}) ORDER BY ad_id, position, id",
            chunk,
        ):
            phones[ad_id].append(display)
        for ad_id, day in _rows(
            f"SELECT ad_id, date FROM insertion WHERE ad_id IN ({marks}) ORDER BY ad_id, date",
            chunk,
        ):
            dates[ad_id].append(_date(day))  # type: ignore[arg-type]
    return [
        AdRow(
            id=i,
            category=base[i][1] or "",
            title=base[i][2],
            body=base[i][3],
            phones=tuple(phones[i]),
            dates=tuple(dates[i]),
            advertiser=base[i][4] or "",
        )
        for i in ids
        if i in base
    ]


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where ``query`` (normalised as for searching) occurs in ``text``: (start, end) offsets."""
    needle = normalise(query).strip(" ")
    if not needle:
        return []
    hay = normalise(text)
    out, pos = [], hay.find(needle)
    while pos >= 0:
        out.append((pos, pos + len(needle)))
        pos = hay.find(needle, pos + len(needle))
    return out


def _phone_patterns(pq: ParsedQuery) -> list[re.Pattern[str]]:
    """How the query's number may be printed: as typed, with or without the trunk 0, last 7."""
    seqs = [pq.tail] if pq.tail else []
    if pq.e164 and pq.e164.startswith("+86"):
        national = pq.e164[3:]
        seqs += ["0" + national, national, national[-7:]]
    return [re.compile(r"[ \-.]?".join(d)) for d in dict.fromkeys(seqs)]


def _snippet(pq: ParsedQuery, body: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = body.replace("\n", " ").replace("\r", " ")
    hay = normalise(body)
    spans: list[tuple[int, int]] = []
    if pq.text:
        spans = highlight_spans(body, pq.text)
    for pattern in _phone_patterns(pq) if not spans else ():
        spans = [m.span() for m in pattern.finditer(hay)]
        if spans:
            break
    if not spans:
        cut = text[:_SNIPPET_LEN]
        return cut + ("…" if len(text) > _SNIPPET_LEN else ""), ()
    first = spans[0][0]
    start = max(0, first - _SNIPPET_BEFORE)
    end = max(min(len(text), start + _SNIPPET_LEN), spans[0][1])
    head = "…" if start > 0 else ""
    snippet = head + text[start:end] + ("…" if end < len(text) else "")
    shift = len(head) - start
    marks = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return snippet, marks


def search(
    query: str,
    category: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    on_date: dt.date | None = None,
    limit: int = 50,
    offset: int = 0,
    order: Order = "id_desc",
    count_limit: int | None = DEFAULT_COUNT_LIMIT,
    advertiser_limit: int = 10,
) -> SearchResult:
    """Ads (a page of hits with snippets and the total) and advertisers matching ``query``.

    The total is exact up to ``count_limit`` (None: always exact, slower on huge hit lists);
    past it ``total`` is that limit and ``total_exact`` False.
    """
    pq = parse_query(query)
    filters = Filters(category, date_from, date_to, on_date)
    found = _find(pq, filters, order, limit, offset, count_limit)
    rows = fetch_rows(found.ids)
    hits = []
    for row in rows:
        snippet, marks = _snippet(pq, row.body)
        hits.append(
            AdHit(
                id=row.id,
                title=row.title,
                snippet=snippet,
                marks=marks,
                category=row.category,
                dates=row.dates,
                phones=row.phones,
                advertiser=row.advertiser,
            )
        )
    advertisers = (
        search_advertisers(query, advertiser_limit) if advertiser_limit and pq.text else []
    )
    return SearchResult(query, found.total, found.exact, hits, advertisers)


# --------------------------------------------------------------------------- public: advertisers


def search_advertisers(query: str, limit: int = 10) -> list[AdvertiserHit]:
    """Advertisers whose name or address holds the query, whose name's pinyin initials or full
    pinyin hold it (``dthp``, ``hepingyiyuan`` → 大同和平医院), or who use the phone number.

    Ranked: names starting with the query (and phone matches) first, then names holding it,
    then address and pinyin matches; within each, the most recently booked first. When very
    many advertisers match, the newest ``ADVERTISER_CANDIDATES`` of them are ranked.
    """
    pq = parse_query(query)
    if pq.impossible or not pq.text or limit <= 0:
        return []
    _ensure_synced()
    table, match = _fts(pq.text, "adv")
    ids = {
        r[0]
        for r in _rows(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
            (match, ADVERTISER_CANDIDATES),
        )
    }
    by_phone = _phone_owners(pq, "advertiser_phone", "advertiser_id")
    candidates = sorted(ids | by_phone)
    names: dict[int, tuple[str, str]] = {}
    stats: dict[int, tuple[int, str | None]] = {}
    for chunk in _chunks(candidates):
        marks = _marks(len(chunk))
        for i, name, address in _rows(
            f"SELECT id, name, address FROM advertiser WHERE id IN ({marks})", chunk
        ):
            names[i] = (name, address)
        for i, count, last in _rows(
            "SELECT advertiser_id, count(*), max(last_date) FROM search_ad "
            f"WHERE advertiser_id IN ({marks}) GROUP BY advertiser_id",
            chunk,
        ):
            stats[i] = (count, last)

    def rank(i: int) -> tuple[int, str, int, int]:
        name = normalise(names[i][0])
        tier = 0 if (i in by_phone or name.startswith(pq.text)) else 1 if pq.text in name else 2
        count, last = stats.get(i, (0, None))
        return (-tier, last or "", count, i)

    best = sorted((i for i in candidates if i in names), key=rank, reverse=True)[:limit]
    phones: dict[int, list[str]] = defaultdict(list)
    if best:
        for adv, display in _rows(
            "SELECT advertiser_id, display FROM advertiser_phone "
            f"WHERE advertiser_id IN ({_marks(len(best))}) ORDER BY advertiser_id, id",
            best,
        ):
            phones[adv].append(display)
    out = []
    for i in best:
        name, address = names[i]
        if _text_in(pq, name):
            matched = "name"
        elif _text_in(pq, address):
            matched = "address"
        elif i in by_phone:
            matched = "phone"
        else:
            matched = "pinyin"
        count, last_date, last_ad = _advertiser_stats(i)
        out.append(
            AdvertiserHit(
                i, name, address, tuple(phones[i]), count, _date(last_date), last_ad, matched
            )
        )
    return out


def _advertiser_stats(
    adv_id: int, exclude_ad_id: int | None = None
) -> tuple[int, str | None, int | None]:
    """(ads, latest insertion date, the ad booked last) of one advertiser, from the index."""
    skip = -1 if exclude_ad_id is None else exclude_ad_id
    count = _rows(
        "SELECT count(*) FROM search_ad WHERE advertiser_id = ? AND ad_id != ?", (adv_id, skip)
    )[0][0]
    last = _rows(
        "SELECT ad_id, last_date FROM search_ad WHERE advertiser_id = ? AND ad_id != ? "
        "ORDER BY last_date DESC, ad_id DESC LIMIT 1",
        (adv_id, skip),
    )
    return int(count), (last[0][1] if last else None), (last[0][0] if last else None)


def advertiser_history(e164: str, exclude_ad_id: int | None = None) -> list[AdvertiserHistory]:
    """Has this number (E.164) advertised before? Who with, how often, when last, which ad.

    Advertisers who print the number in an ad or hold it on file come first by latest date;
    ads with the number that are linked to no advertiser are summed up under ``None``.
    ``exclude_ad_id`` leaves out the ad being edited.
    """
    skip = -1 if exclude_ad_id is None else exclude_ad_id
    with_number: dict[int | None, list[int]] = defaultdict(list)
    for ad_id, adv in _rows(
        "SELECT p.ad_id, s.advertiser_id FROM ad_phone AS p JOIN search_ad AS s ON s.ad_id = p.ad_id "
        "WHERE p.e164 = ? AND p.ad_id != ? GROUP BY p.ad_id",
        (e164, skip),
    ):
        with_number[adv].append(ad_id)
    on_file = {
        r[0] for r in _rows("SELECT advertiser_id FROM advertiser_phone WHERE e164 = ?", (e164,))
    }
    known = sorted(on_file | {a for a in with_number if a is not None})
    names: dict[int, str] = {}
    for chunk in _chunks(known):
        names.update(
            _rows(f"SELECT id, name FROM advertiser WHERE id IN ({_marks(len(chunk))})", chunk)
        )
    out: list[AdvertiserHistory] = []
    for adv in known:
        if adv not in names:
            continue
        count, last_date, last_ad = _advertiser_stats(adv, exclude_ad_id)
        out.append(
            AdvertiserHistory(
                adv, names[adv], count, len(with_number.get(adv, [])), _date(last_date), last_ad
            )
        )
    unlinked = with_number.get(None, [])
    if unlinked:
        dates = _last_dates(unlinked)
        last = max(unlinked, key=lambda i: (dates.get(i) or "", i))
        out.append(
            AdvertiserHistory(None, "", len(unlinked), len(unlinked), _date(dates.get(last)), last)
        )
    out.sort(key=lambda h: (h.last_date or dt.date.min, h.ad_count), reverse=True)
    return out
