"""Property: over random corpora and queries, search finds exactly what a substring scan finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adsdesk.store import search as S
from adsdesk.store.ads import AdDraft, delete_ad, load_ad, save_ad
from adsdesk.store.models import Ad
from adsdesk.store.search_plan import find

# A small alphabet so that one- and two-character queries hit often, and longer ones sometimes.
ALPHABET = "和平医院大同房"
DAYS = (dt.date(2023, 2, 24), dt.date(2023, 2, 25), dt.date(2023, 3, 1))
CATEGORIES = ("房屋出售", "医疗体检")

texts = st.text(alphabet=ALPHABET, max_size=24)
ads = st.lists(
    st.tuples(
        st.text(alphabet=ALPHABET, max_size=6),
        texts,
        st.sampled_from(CATEGORIES),
        st.lists(st.sampled_from(DAYS), max_size=2),
    ),
    min_size=1,
    max_size=12,
)
queries = st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=6), min_size=1, max_size=8)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _reset(corpus: list[tuple[str, str, str, list[dt.date]]]) -> None:
    """Replace every ad (ids are handed out again, which the index must cope with)."""
    for (ad_id,) in Ad.select(Ad.id).tuples():
        delete_ad(ad_id)
    for title, body, category, days in corpus:
        save_ad(AdDraft(category=category, title=title, body=body, dates=days))


def _scan(query: str, keep: object = None) -> list[int]:
    rows = Ad.select(Ad.id, Ad.title, Ad.body).tuples()
    found = [i for i, t, b in rows if query in t or query in b]
    if keep is not None:
        found = [i for i in found if keep(i)]  # type: ignore[operator]
    return sorted(found, reverse=True)


@SETTINGS
@given(corpus=ads, qs=queries)
def test_search_equals_a_substring_scan(desk_db: Path, corpus, qs) -> None:
    _reset(corpus)
    for q in qs:
        expected = _scan(q)
        assert S.search_ad_ids(q) == expected, q
        assert S.count_ads(q) == (len(expected), True)
        page = S.search(q, limit=3)
        assert [h.id for h in page.ads] == expected[:3]
        assert page.total == len(expected)


@SETTINGS
@given(corpus=ads, qs=queries, category=st.sampled_from(CATEGORIES), day=st.sampled_from(DAYS))
def test_filtered_search_equals_a_filtered_scan(desk_db: Path, corpus, qs, category, day) -> None:
    _reset(corpus)
    drafts = {i: load_ad(i) for (i,) in Ad.select(Ad.id).tuples()}
    cases = [
        (S.Filters(category=category), lambda i: drafts[i].category == category),
        (S.Filters(on_date=day), lambda i: day in drafts[i].dates),
        (S.Filters(date_from=day), lambda i: any(d >= day for d in drafts[i].dates)),
        (
            S.Filters(date_from=DAYS[0], date_to=day),
            lambda i: any(DAYS[0] <= d <= day for d in drafts[i].dates),
        ),
        (
            S.Filters(category=category, date_to=day),
            lambda i: drafts[i].category == category and any(d <= day for d in drafts[i].dates),
        ),
    ]
    for q in qs:
        for filters, keep in cases:
            expected = _scan(q, keep)
            for small in (S.SMALL_FILTER, 0):  # both plans: ad by ad, and through the index
                found = find(S.parse_query(q), filters, "id_desc", None, 0, None, small)
                assert found.ids == expected, (q, filters, small)


@SETTINGS
@given(
    corpus=ads,
    edits=st.lists(st.tuples(st.integers(0, 11), texts, st.sampled_from(CATEGORIES)), max_size=6),
    qs=queries,
)
def test_edits_keep_the_index_exact(desk_db: Path, corpus, edits, qs) -> None:
    _reset(corpus)
    for pick, body, category in edits:
        ids = [i for (i,) in Ad.select(Ad.id).tuples()]
        if not ids:
            break
        target = ids[pick % len(ids)]
        if pick % 3 == 0:
            delete_ad(target)
        else:
            draft = load_ad(target)
            draft.body, draft.category = body, category
            save_ad(draft)
    cats = {i: load_ad(i).category for (i,) in Ad.select(Ad.id).tuples()}
    for q in qs:
        assert S.search_ad_ids(q) == _scan(q), q
        for category in CATEGORIES:
            found = find(S.parse_query(q), S.Filters(category), "id_desc", None, 0, None, 0)
            assert found.ids == _scan(q, lambda i, c=category: cats[i] == c), (q, category)


@SETTINGS
@given(
    corpus=ads,
    qs=queries,
    picks=st.lists(st.integers(0, 11), max_size=8),
    order=st.sampled_from(("id_desc", "id_asc")),
    window=st.tuples(st.integers(1, 5), st.integers(0, 4)),
    cap=st.sampled_from((None, 1, 3, 20)),
)
def test_ads_found_another_way_merge_exactly(
    desk_db: Path, monkeypatch, corpus, qs, picks, order, window, cap
) -> None:
    """Ads an advertiser or a number brings (``also``) join the text's hits without repeats:
    the same page at any offset, and a total exact up to the cap, with the extra ads checked
    one by one and (FEW_EXTRAS 0) taken as they come."""
    import adsdesk.store.search_plan as plan

    _reset(corpus)
    ids = [i for (i,) in Ad.select(Ad.id).tuples()]
    also = sorted({ids[p % len(ids)] for p in picks})
    limit, offset = window
    for few in (plan.FEW_EXTRAS, 0):
        monkeypatch.setattr(plan, "FEW_EXTRAS", few)
        for q in qs:
            union = sorted(set(_scan(q)) | set(also), reverse=order == "id_desc")
            everything = find(S.parse_query(q), S.NO_FILTERS, order, None, 0, cap, also=also)
            assert everything.ids == union, (q, few)
            found = find(S.parse_query(q), S.NO_FILTERS, order, limit, offset, cap, also=also)
            assert found.ids == union[offset : offset + limit], (q, few)
            if found.exact:
                assert found.total == len(union), (q, few)
            else:
                assert cap is not None and cap <= found.total < len(union), (q, few)
            assert found.exact or len(union) > (cap or 0), (q, few)


# Digit groups too short to be phone numbers (a desk refuses a wrong number), as in prices.
groups = st.lists(st.text(alphabet="8620", min_size=1, max_size=6), max_size=5)
digit_ads = st.lists(
    st.tuples(st.just(""), groups.map("元 ".join), st.just("房屋出售"), st.just([])),
    min_size=1,
    max_size=12,
)


@SETTINGS
@given(
    corpus=digit_ads, qs=st.lists(st.text(alphabet="8620元", min_size=1, max_size=7), max_size=8)
)
def test_digits_in_a_row_are_found_exactly(desk_db: Path, corpus, qs) -> None:
    """Runs of digits (a price, a phone number's tail) are found as any other text: exactly
    the ads a substring scan finds, pages included."""
    _reset(corpus)
    for q in qs:
        expected = _scan(q)
        assert S.search_ad_ids(q) == expected, q
        assert S.search_ad_ids(q, limit=2) == expected[:2], q
        assert S.count_ads(q) == (len(expected), True), q
