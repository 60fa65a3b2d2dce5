"""Finding ads and advertisers: exact fragments, phones in any form, pinyin, date/category filters.

A query is normalised (``search_text.normalise``) and matched as a plain substring of an ad's
title or body — the same set a full scan gives — through the index: one posting list for one or
two characters, one trigram phrase for three or more. A query that looks like a phone number
also finds the ads and advertisers carrying that number (E.164) or a number ending in its
digits. Nothing in a query is syntax: quotes, ``*``, ``AND``, brackets are searched as text.

For the lazy ad list: :func:`search_ad_ids` returns ids only (by id or by latest insertion
date, a window or all), :func:`count_ads` counts, :func:`fetch_rows` loads rows for a page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from adsdesk.chunks import chunks
from adsdesk.domain.dates import optional_date
from adsdesk.store.ads import AdRow, ad_rows
from adsdesk.store.backend import is_postgres
from adsdesk.store.search_backend import synced_once
from adsdesk.store.search_plan import (
    NO_COUNT,
    NO_FILTERS,
    ORDERS,
    SMALL_FILTER,
    Filters,
    Order,
    ParsedQuery,
    advertiser_ids,
    ensure_synced,
    find,
    iso,
    last_dates,
    parse_query,
    partition_cap,
    phone_owners,
    placeholders,
    query_rows,
    text_in,
)
from adsdesk.store.search_text import name_tier, normalise

if TYPE_CHECKING:  # (the server's index module is loaded on a server desk only)
    from adsdesk.store.search_pg import ReadAhead

__all__ = [
    "ORDERS",
    "SMALL_FILTER",
    "AdHit",
    "AdvertiserHistory",
    "AdvertiserHit",
    "Filters",
    "Order",
    "ParsedQuery",
    "SearchResult",
    "ad_ids",
    "advertiser_history",
    "count_ads",
    "fetch_rows",
    "highlight_spans",
    "parse_query",
    "search",
    "search_ad_ids",
    "search_advertisers",
    "warm_up",
    "warm_up_server",
]

# Totals are exact up to here, past it "1000+" (the list pane lists this many at a time). Why
# 1,000 and not 10,000: on PostgreSQL every hit counted is a visit to its table row (15.20 no
# longer counts from the index's bitmap alone), 2-6 µs each on the synthetic million, so a
# total up to 10,000 alone cost 20-60 ms against 3-6 ms up to 1,000 (bench --db, p95).
DEFAULT_COUNT_LIMIT = 1_000
ADVERTISER_CANDIDATES = 300
_SNIPPET_BEFORE, _SNIPPET_LEN = 12, 60
_LIST_LEAD = 4  # characters kept before a hit in the list's title cell

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


def warm_up() -> None:
    """Load what the first searches need (the pinyin table, the number tables behind "is this
    a phone number?") now, off the UI thread, rather than in the first keystrokes' search."""
    from adsdesk.store.search_text import warm_up as pinyin

    pinyin()
    parse_query("0352 5393120", "0352")
    parse_query("13903528495", "0352")


def warm_up_server() -> None:
    """On a server desk: two searches nobody sees, on this thread's connection and on the
    searches' second one. A new connection plans its first statements over the index's
    partitions slower (their catalogue entries are read then): on the synthetic million the
    first searches took 10-12 ms where the rest took 4-6; the clerk's first search need not."""
    if not is_postgres():
        return
    for text in ("龘", "电"):  # one almost no ad holds (every partition read), one most do
        search(text, limit=1)


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
    return find(parse_query(query), filters, order, limit, offset, NO_COUNT).ids


def search_ad_ids_and_advertisers(
    query: str,
    filters: Filters = NO_FILTERS,
    order: Order = "id_desc",
    advertiser_limit: int = 6,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[int], list[AdvertiserHit]]:
    """The ads matching ``query`` plus every ad of the advertisers it names (all, or a window),
    and those advertisers.

    Searching "dthp" or "和平医院" finds the advertiser 大同和平医院 by pinyin or name; the list
    then holds their ads too (under the same filters, in the same order), not only ads whose
    own text holds the query.
    """
    pq = parse_query(query)
    advertisers = _advertisers(pq, advertiser_limit)
    named = _named(advertisers)
    found = find(pq, filters, order, limit, offset, NO_COUNT, of_advertisers=named)
    return found.ids, advertisers


def _named(advertisers: Sequence[AdvertiserHit]) -> list[int]:
    """The advertisers found by their name or its pinyin, whose ads a search lists too (not by
    an address, which names a street, nor by a number: the ads with it are found by it)."""
    return [a.id for a in advertisers if a.matched in ("name", "pinyin")]


def ad_ids(
    filters: Filters = NO_FILTERS,
    order: Order = "id_desc",
    limit: int | None = None,
    offset: int = 0,
) -> list[int]:
    """Ids of every ad passing ``filters`` (no text), straight from the index."""
    return find(ParsedQuery(""), filters, order, limit, offset, NO_COUNT).ids


def count_ads(
    query: str = "", filters: Filters = NO_FILTERS, limit: int | None = None
) -> tuple[int, bool]:
    """(number of ads matching, exact); with ``limit`` the count stops there (then not exact)."""
    found = find(parse_query(query), filters, "id_desc", 0, 0, limit)
    return found.total, found.exact


def fetch_rows(ids: Sequence[int]) -> list[AdRow]:
    """The list rows of these ads, in the order given; ids of deleted ads are skipped."""
    return ad_rows(ids)


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Where ``query`` (normalised as for searching) occurs in ``text``: (start, end) offsets."""
    return _spans(normalise(text), normalise(query).strip(" "))


def _spans(hay: str, needle: str) -> list[tuple[int, int]]:
    """Where the normalised ``needle`` occurs in the normalised ``hay``."""
    if not needle:
        return []
    out, pos = [], hay.find(needle)
    while pos >= 0:
        out.append((pos, pos + len(needle)))
        pos = hay.find(needle, pos + len(needle))
    return out


Spans = tuple[tuple[int, int], ...]


def body_snippets(rows: Sequence[AdRow], query: str) -> dict[int, tuple[str, Spans]]:
    """For rows matching in the body but not the title: the body's snippet and its marks.

    The list shows the title; without this a hit deep in the body looks like no hit at all.
    """
    pq = parse_query(query)
    out: dict[int, tuple[str, Spans]] = {}
    for row in rows:
        if pq.text and row.title and highlight_spans(row.title, pq.text):
            continue
        snippet, marks = _snippet(pq, row.body)
        if marks and marks[0][0] > _LIST_LEAD + 1:  # a list cell is narrow: the hit up front
            cut = marks[0][0] - _LIST_LEAD
            snippet = "…" + snippet[cut:]
            marks = tuple((a - cut + 1, b - cut + 1) for a, b in marks)
        if marks:
            out[row.id] = (snippet, marks)
    return out


@lru_cache(maxsize=16)
def _phone_patterns(pq: ParsedQuery) -> tuple[re.Pattern[str], ...]:
    """How the query's number may be printed: as typed, with or without the trunk 0, last 7."""
    seqs = [pq.tail] if pq.tail else []
    if pq.e164 and pq.e164.startswith("+86"):
        national = pq.e164[3:]
        seqs += ["0" + national, national, national[-7:]]
    return tuple(re.compile(r"[ \-.]?".join(d)) for d in dict.fromkeys(seqs))


def _snippet(pq: ParsedQuery, body: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    text = body.replace("\n", " ").replace("\r", " ")
    hay = normalise(body)
    spans = _spans(hay, pq.text)  # the query is normalised and stripped already
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
    with synced_once(), _read_ahead(pq, filters, order, limit, offset, count_limit) as ahead:
        advertisers = _advertisers(pq, advertiser_limit) if advertiser_limit and pq.text else []
        named = _named(advertisers)  # an advertiser named by the query brings their ads
        # The page's rows, read by the other connection beside the advertisers' lookup.
        known: dict[int, AdRow] = (ahead and ahead.then()) or {}
        found = find(pq, filters, order, limit, offset, count_limit, of_advertisers=named)
    missing = {r.id: r for r in fetch_rows([i for i in found.ids if i not in known])}
    rows = [r for i in found.ids if (r := known.get(i) or missing.get(i)) is not None]
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
    return SearchResult(query, found.total, found.exact, hits, advertisers)


def _read_ahead(
    pq: ParsedQuery,
    filters: Filters,
    order: str,
    limit: int | None,
    offset: int,
    count_limit: int | None,
) -> AbstractContextManager[ReadAhead | None]:
    """On a server, the ads' page and total (what ``find`` reads by partition for a text
    without filters) read beside the advertisers' lookup, the page's rows too as soon as its
    ids are known: see ``search_pg.reading_ahead``. (Ads the query's numbers or advertisers
    add to the page are read afterwards.)"""
    if not pq.text or pq.impossible or not filters.empty() or limit is None:
        return nullcontext()
    if not order.startswith("id") or not is_postgres():
        return nullcontext()
    from adsdesk.store.search_pg import reading_ahead

    ensure_synced()  # (before the other connection reads the index)
    cap = partition_cap(count_limit)

    def page_rows(ids: list[int]) -> dict[int, AdRow]:
        return {r.id: r for r in fetch_rows(ids[offset:])}

    return reading_ahead(pq.text, order.endswith("desc"), offset + limit, cap, page_rows)


# --------------------------------------------------------------------------- public: advertisers


def search_advertisers(query: str, limit: int = 10) -> list[AdvertiserHit]:
    """Advertisers whose name or address holds the query, whose name's pinyin initials or full
    pinyin hold it (``dthp``, ``hepingyiyuan`` → 大同和平医院), or who use the phone number.

    Ranked: names starting with the query (and phone matches) first, then names holding it,
    then address and pinyin matches; within each, the most recently booked first, then the
    most ads. When very many advertisers match, the newest ``ADVERTISER_CANDIDATES`` of them
    are ranked.
    """
    return _advertisers(parse_query(query), limit)


def _advertisers(pq: ParsedQuery, limit: int) -> list[AdvertiserHit]:
    if pq.impossible or not pq.text or limit <= 0:
        return []
    ensure_synced()
    by_phone = phone_owners(pq, "advertiser_phone", "advertiser_id")
    if is_postgres():
        return _advertisers_server(pq, by_phone, limit)
    candidates = sorted(set(advertiser_ids(pq.text, ADVERTISER_CANDIDATES)) | by_phone)
    found: dict[int, tuple[str, str]] = {}
    keys: dict[int, tuple[int, str]] = {}  # (-tier, latest date): ranks before the ad count
    lasts: dict[int, str | None] = {}
    for chunk in chunks(candidates):
        for i, name, address, last in query_rows(
            "SELECT a.id, a.name, a.address, (SELECT max(s.last_date) FROM search_ad AS s "
            "WHERE s.advertiser_id = a.id) FROM advertiser AS a "
            f"WHERE a.id IN ({placeholders(len(chunk))})",
            chunk,
        ):
            found[i], lasts[i] = (name, address), iso(last)
            tier = name_tier(pq.text, normalise(name), i in by_phone)
            keys[i] = (-tier, lasts[i] or "")
    if not keys:
        return []
    # The number of ads breaks ties: counted only for the advertisers that may make the cut.
    ranked = sorted(keys, key=keys.__getitem__, reverse=True)
    cut = keys[ranked[min(limit, len(ranked)) - 1]]
    near = [i for i in ranked if keys[i] >= cut]
    stats = _ad_stats(near)

    def rank(i: int) -> tuple[int, str, int, int]:
        return (*keys[i], stats.get(i, (0, None))[0], i)

    best = sorted(near, key=rank, reverse=True)[:limit]
    phones: dict[int, list[str]] = defaultdict(list)
    for adv, display in query_rows(
        "SELECT advertiser_id, display FROM advertiser_phone "
        f"WHERE advertiser_id IN ({placeholders(len(best))}) ORDER BY advertiser_id, id",
        best,
    ):
        phones[adv].append(display)
    hits = []
    for i in best:
        (name, address), (count, last_ad) = found[i], stats.get(i, (0, None))
        hits.append(
            _hit(pq, by_phone, i, name, address, tuple(phones[i]), count, lasts.get(i), last_ad)
        )
    return hits


def _advertisers_server(pq: ParsedQuery, by_phone: set[int], limit: int) -> list[AdvertiserHit]:
    """:func:`_advertisers` on a server: ranked there, in one statement (``search_pg_rank``)."""
    from adsdesk.store.search_pg_rank import ranked_advertisers

    return [
        _hit(pq, by_phone, r.id, r.name, r.address, r.phones, r.ad_count, r.last_date, r.last_ad_id)
        for r in ranked_advertisers(pq.text, by_phone, ADVERTISER_CANDIDATES, limit)
    ]


def _hit(
    pq: ParsedQuery,
    by_phone: set[int],
    adv: int,
    name: str,
    address: str,
    phones: tuple[str, ...],
    ads: int,
    last_date: object,
    last_ad: int | None,
) -> AdvertiserHit:
    """One advertiser found, with what the query matched of them."""
    if text_in(pq, name):
        matched = "name"
    elif text_in(pq, address):
        matched = "address"
    else:
        matched = "phone" if adv in by_phone else "pinyin"
    return AdvertiserHit(
        adv, name, address, phones, ads, optional_date(last_date), last_ad, matched
    )


def _ad_stats(advertisers: Sequence[int]) -> dict[int, tuple[int, int | None]]:
    """(ads, the ad booked last) of each advertiser, from their index rows: the newest ad with
    the latest insertion date, or the newest ad when none is booked (seeks, not sorts)."""
    out: dict[int, tuple[int, int | None]] = {}
    for chunk in chunks(list(advertisers)):
        for adv, n, dated, undated in query_rows(
            "SELECT a.id, (SELECT count(*) FROM search_ad AS s WHERE s.advertiser_id = a.id), "
            "(SELECT max(s.ad_id) FROM search_ad AS s WHERE s.advertiser_id = a.id "
            "AND s.last_date = (SELECT max(t.last_date) FROM search_ad AS t "
            "WHERE t.advertiser_id = a.id)), "
            "(SELECT max(s.ad_id) FROM search_ad AS s WHERE s.advertiser_id = a.id "
            "AND s.last_date IS NULL) "
            f"FROM advertiser AS a WHERE a.id IN ({placeholders(len(chunk))})",
            chunk,
        ):
            out[adv] = (int(n), dated if dated is not None else undated)
    return out


def _advertiser_stats(
    adv_id: int, exclude_ad_id: int | None = None
) -> tuple[int, str | None, int | None]:
    """(ads, latest insertion date, the ad booked last) of one advertiser, from the index."""
    skip = -1 if exclude_ad_id is None else exclude_ad_id
    count = query_rows(
        "SELECT count(*) FROM search_ad WHERE advertiser_id = ? AND ad_id != ?", (adv_id, skip)
    )[0][0]
    last = query_rows(
        "SELECT ad_id, last_date FROM search_ad WHERE advertiser_id = ? AND ad_id != ? "
        "AND last_date IS NOT NULL ORDER BY last_date DESC, ad_id DESC LIMIT 1",
        (adv_id, skip),
    ) or query_rows(
        "SELECT ad_id, last_date FROM search_ad WHERE advertiser_id = ? AND ad_id != ? "
        "ORDER BY ad_id DESC LIMIT 1",
        (adv_id, skip),
    )
    return int(count), (iso(last[0][1]) if last else None), (last[0][0] if last else None)


def advertiser_history(e164: str, exclude_ad_id: int | None = None) -> list[AdvertiserHistory]:
    """Has this number (E.164) advertised before? Who with, how often, when last, which ad.

    Advertisers who print the number in an ad or hold it on file come first by latest date;
    ads with the number that are linked to no advertiser are summed up under ``None``.
    ``exclude_ad_id`` leaves out the ad being edited.
    """
    skip = -1 if exclude_ad_id is None else exclude_ad_id
    with_number: dict[int | None, list[int]] = defaultdict(list)
    for ad_id, adv in query_rows(
        "SELECT DISTINCT p.ad_id, s.advertiser_id FROM ad_phone AS p "
        "JOIN search_ad AS s ON s.ad_id = p.ad_id WHERE p.e164 = ? AND p.ad_id != ?",
        (e164, skip),
    ):
        with_number[adv].append(ad_id)
    on_file = {
        r[0]
        for r in query_rows("SELECT advertiser_id FROM advertiser_phone WHERE e164 = ?", (e164,))
    }
    known = sorted(on_file | {a for a in with_number if a is not None})
    names: dict[int, str] = {}
    for chunk in chunks(known):
        names.update(
            query_rows(
                f"SELECT id, name FROM advertiser WHERE id IN ({placeholders(len(chunk))})", chunk
            )
        )
    out: list[AdvertiserHistory] = []
    for adv in known:
        if adv not in names:
            continue
        count, last_date, last_ad = _advertiser_stats(adv, exclude_ad_id)
        out.append(
            AdvertiserHistory(
                adv,
                names[adv],
                count,
                len(with_number.get(adv, [])),
                optional_date(last_date),
                last_ad,
            )
        )
    unlinked = with_number.get(None, [])
    if unlinked:
        dates = last_dates(unlinked)
        last = max(unlinked, key=lambda i: (dates.get(i) or "", i))
        out.append(
            AdvertiserHistory(
                None, "", len(unlinked), len(unlinked), optional_date(dates.get(last)), last
            )
        )
    out.sort(key=lambda h: (h.last_date or dt.date.min, h.ad_count), reverse=True)
    return out
