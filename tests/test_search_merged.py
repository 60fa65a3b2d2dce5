"""Property: ads found by text, by the tail of a number and by a named advertiser, merged into one
list (window, total, cap, filters), are exactly what a scan finds; long advertiser queries too."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adsdesk.domain.phone_check import check_phone
from adsdesk.store import search as S
from adsdesk.store.ads import AdDraft, PhoneEntry, delete_ad, load_ad, save_ad
from adsdesk.store.models import Ad, Advertiser
from adsdesk.store.search_plan import find
from adsdesk.store.search_text import advertiser_fields

ALPHABET = "和平医院大同1234"
NAMES = ("和平医院", "大同医院", "平安", "同和")
CATEGORIES = ("房屋出售", "医疗体检")
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# No runs of five digits or more in the text: the wording checks would see a phone number.
text = st.text(alphabet=ALPHABET, max_size=16).filter(lambda t: not re.search(r"\d{5}", t))
ads = st.lists(
    st.tuples(
        text.map(lambda t: t[:5]),  # title
        text,  # body
        st.lists(st.text(alphabet="1234", min_size=4, max_size=4), max_size=2),  # number tails
        st.sampled_from((None, *range(len(NAMES)))),  # advertiser
        st.sampled_from(CATEGORIES),
    ),
    min_size=1,
    max_size=12,
)
queries = st.lists(
    st.one_of(
        st.text(alphabet=ALPHABET, min_size=1, max_size=4),
        st.text(alphabet="1234", min_size=4, max_size=5),
    ),
    min_size=1,
    max_size=6,
)


def _reset(corpus: list) -> list[int]:
    for (ad_id,) in Ad.select(Ad.id).tuples():
        delete_ad(ad_id)
    Advertiser.delete().execute()
    owners = [Advertiser.create(name=n, address="").id for n in NAMES]
    for title, body, tails, owner, category in corpus:
        checks = [check_phone(f"1390352{t}", "0352") for t in tails]
        save_ad(
            AdDraft(
                category=category,
                title=title,
                body=body,
                phones=[PhoneEntry(c.e164, c.display) for c in checks if c.e164],
                advertiser_id=None if owner is None else owners[owner],
                dates=[],
            )
        )
    return owners


def _scan(query: str, owners: list[int], keep: object = None) -> list[int]:
    """Text holding the query, a number ending in its digits (4 or more), or an advertiser
    whose name holds it; newest first."""
    named = {owners[k] for k, n in enumerate(NAMES) if query in n}
    digits = query if query.isdigit() and len(query) >= 4 else None
    found = []
    for ad_id, title, body, advertiser in Ad.select(
        Ad.id, Ad.title, Ad.body, Ad.advertiser
    ).tuples():
        phones = [p.e164 for p in load_ad(ad_id).phones]
        if (
            query in title
            or query in body
            or advertiser in named
            or (digits and any(p.endswith(digits) for p in phones))
        ) and (keep is None or keep(ad_id)):  # type: ignore[operator]
            found.append(ad_id)
    return sorted(found, reverse=True)


@SETTINGS
@given(corpus=ads, qs=queries)
def test_merged_hits_equal_a_scan(desk_db: Path, corpus, qs) -> None:
    owners = _reset(corpus)
    for q in qs:
        expected = _scan(q, owners)
        ids, advertisers = S.search_ad_ids_and_advertisers(q)
        assert ids == expected, q
        assert {a.id for a in advertisers if a.matched == "name"} == {
            owners[k] for k, n in enumerate(NAMES) if q in n
        }
        page = S.search(q, limit=3)
        assert [h.id for h in page.ads] == expected[:3], q
        assert (page.total, page.total_exact) == (len(expected), True)
        later = S.search(q, limit=2, offset=1, order="id_asc", count_limit=2)
        assert [h.id for h in later.ads] == expected[::-1][1:3], q
        if later.total_exact:  # past the cap a total may still be exact, or the cap "2+"
            assert later.total == len(expected), q
        else:
            assert later.total == 2 < len(expected), q


@SETTINGS
@given(corpus=ads, qs=queries, category=st.sampled_from(CATEGORIES))
def test_merged_hits_under_a_filter_equal_a_filtered_scan(
    desk_db: Path, corpus, qs, category
) -> None:
    owners = _reset(corpus)
    cats = {i: load_ad(i).category for (i,) in Ad.select(Ad.id).tuples()}
    for q in qs:
        named = [owners[k] for k, n in enumerate(NAMES) if q in n]
        expected = _scan(q, owners, lambda i: cats[i] == category)
        for small in (S.SMALL_FILTER, 0):  # ad by ad, and through the index
            found = find(
                S.parse_query(q),
                S.Filters(category),
                "id_desc",
                None,
                0,
                None,
                small,
                of_advertisers=named,
            )
            assert found.ids == expected, (q, small)


@SETTINGS
@given(
    advertisers=st.lists(
        st.tuples(st.text(alphabet="abn", max_size=14), st.text(alphabet="abn ", max_size=14)),
        min_size=1,
        max_size=14,
    ),
    q=st.text(alphabet="abn", min_size=7, max_size=10),
)
def test_long_advertiser_queries_equal_a_scan(desk_db: Path, advertisers, q) -> None:
    """Long queries (full pinyin, mostly) are looked up by a few of their trigrams and then
    checked: advertisers holding those trigrams apart are not found."""
    for (ad_id,) in Ad.select(Ad.id).tuples():
        delete_ad(ad_id)
    Advertiser.delete().execute()
    expected = set()
    for name, address in advertisers:
        made = Advertiser.create(name=name, address=address).id
        if any(q in f for f in advertiser_fields(name, address)):
            expected.add(made)
    assert {a.id for a in S.search_advertisers(q, limit=100)} == expected


@SETTINGS
@given(
    advertisers=st.lists(
        st.tuples(
            st.text(alphabet="ab1和平", max_size=10), st.text(alphabet="ab1 和", max_size=10)
        ),
        min_size=1,
        max_size=14,
    ),
    qs=st.lists(st.text(alphabet="ab1和", min_size=1, max_size=6), min_size=1, max_size=6),
)
def test_short_latin_advertiser_queries_equal_a_scan(desk_db: Path, advertisers, qs) -> None:
    """Letters and digits in a row (initials, pinyin, a shop's Latin name) mixed with Chinese:
    on a server their 3-letter pieces have codes of their own, and the answer is a scan's."""
    Advertiser.delete().execute()
    made = [
        (Advertiser.create(name=n, address=a).id, advertiser_fields(n, a)) for n, a in advertisers
    ]
    for q in qs:
        expected = {i for i, fields in made if any(q in f for f in fields)}
        assert {a.id for a in S.search_advertisers(q, limit=100)} == expected, q


def test_a_long_query_whose_trigrams_many_hold_apart(desk_db: Path) -> None:
    """More advertisers hold the query's trigrams (apart) than are checked one by one."""
    q = "hepingyiyuan"
    decoy = " ".join(q[i : i + 3] for i in range(len(q) - 2))  # every trigram, never the whole
    for i in range(150):
        Advertiser.create(name=f"张{i}", address=decoy)
    real = [Advertiser.create(name="大同和平医院", address=f"{i}号").id for i in range(3)]
    Advertiser.create(name="和平", address=decoy + " hepingyiyuan")
    real.append(Advertiser.select().order_by(Advertiser.id.desc()).first().id)
    assert sorted(a.id for a in S.search_advertisers(q, limit=100)) == sorted(real)
